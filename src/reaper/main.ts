// The reaper: started first in every `envtest run`, it holds its stdin attached to the
// orchestrator. When that connection drops (the orchestrator was SIGKILLed, the machine lost it),
// stdin ends; after a short grace it removes everything labelled with the run, then itself.
// A clean run removes the reaper during its own teardown, before stdin ever ends.
import { hostname } from 'node:os';
import { engineApi } from './engine-api.js';
import { reapRun } from './reap.js';

const runId = process.env.ENVTEST_RUN;
const graceMs = Number(process.env.ENVTEST_REAPER_GRACE_MS ?? 2000);
if (!runId) {
  console.error('ENVTEST_RUN is not set');
  process.exit(2);
}

const api = engineApi(process.env.ENVTEST_REAPER_SOCKET);
// In a container the hostname is the short container id, which is how the reaper spares itself.
const selfId = hostname();

let reaping = false;
const reap = () => {
  if (reaping) return;
  reaping = true;
  setTimeout(async () => {
    try {
      const result = await reapRun(api, runId, selfId);
      console.log(JSON.stringify({ reaped: runId, ...result }));
    } catch (e) {
      console.error(`reaping ${runId} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await api.call('DELETE', `/containers/${selfId}?force=1&v=1`).catch(() => undefined);
    process.exit(0);
  }, graceMs);
};

process.stdin.on('data', () => undefined);
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
console.log(JSON.stringify({ watching: runId, graceMs }));
