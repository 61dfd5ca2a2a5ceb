// The reaper: started first in every `envtest run`, it holds its stdin attached to the
// orchestrator. When that connection drops (the orchestrator was SIGKILLed, the machine lost it),
// stdin ends; after a short grace it removes everything labelled with the run, then itself.
// A clean run removes the reaper during its own teardown, before stdin ever ends.
// It says it is watching only once it has reached its own engine through the mounted socket; one
// that cannot says why and exits, and the orchestrator carries on without it.
import { hostname } from 'node:os';
import { engineApi } from './engine-api.js';
import { reapRun, sweepNodes } from './reap.js';

const runId = process.env.ENVTEST_RUN;
const graceMs = Number(process.env.ENVTEST_REAPER_GRACE_MS ?? 2000);
if (!runId) {
  console.error('ENVTEST_RUN is not set');
  process.exit(2);
}

const api = engineApi(process.env.ENVTEST_REAPER_SOCKET);
/**
 * Its own container, which it spares until last. Found by the label only it carries
 * (ENVTEST_REAPER_SELF, `key=value`): it runs on the host's network, so its hostname is the host's,
 * not its short container id.
 */
let selfId = hostname();

/**
 * Undefined once the engine behind the socket knows this container: then it is the engine the run
 * is on, not merely some engine (a VM's, a rootful one beside a rootless one).
 */
async function unreachable(): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 5s')), 5000);
  });
  const self = process.env.ENVTEST_REAPER_SELF;
  try {
    if (!self) {
      const res = await Promise.race([api.call('GET', `/containers/${selfId}/json`), timeout]);
      return res.status === 200 ? undefined : `the engine behind the socket does not know this container (HTTP ${res.status}): it is another engine`;
    }
    const filters = encodeURIComponent(JSON.stringify({ label: [self] }));
    const res = await Promise.race([api.call<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${filters}`), timeout]);
    const found = res.status === 200 && Array.isArray(res.body) && res.body.length === 1 ? res.body[0]!.Id : undefined;
    if (found) selfId = found;
    return found ? undefined : `the engine behind the socket does not know this container (HTTP ${res.status}, no container labelled ${self}): it is another engine`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}

function watch(id: string): void {
  let reaping = false;
  const reap = () => {
    if (reaping) return;
    reaping = true;
    setTimeout(async () => {
      try {
        const result = await reapRun(api, id, selfId);
        const swept = result.swarm ? await sweepNodes(api, id, selfId) : undefined;
        console.log(JSON.stringify({ reaped: id, ...result, ...(swept !== undefined ? { swept } : {}) }));
      } catch (e) {
        console.error(`reaping ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await api.call('DELETE', `/containers/${selfId}?force=1&v=1`).catch(() => undefined);
      process.exit(0);
    }, graceMs);
  };
  // Stdin only flows from here on: an end that came during the check is still seen.
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', reap);
  process.stdin.on('close', reap);
  process.stdin.on('error', reap);
  console.log(JSON.stringify({ watching: id, graceMs }));
}

void unreachable().then((why) => {
  if (!why) return watch(runId);
  console.log(JSON.stringify({ unreachable: why }));
  process.exit(1);
});
