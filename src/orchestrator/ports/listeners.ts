// Reads a service's listening sockets from outside it: a short-lived helper container joins the
// service's network namespace (`container:<id>`) and prints /proc/net/{tcp,tcp6,udp,udp6}, so
// images with no shell and no tools (FROM scratch) work, and nothing is ever exec'd in a service.
// The helper's own image needs /bin/sh or node (envtest's sidecar image has both).
// The helper prints a snapshot whenever the tables change (polled every 50 ms): one helper serves
// both the one-off inventory and the readiness wait. Told which ports a readiness wait needs, it
// stops by itself once they listen (the engine then removes it), so the service counts as ready
// without waiting for a removal round trip, and no helper outlives an `envtest up` that returned.
// Where the backend can read the tables from the engine host's /proc itself (a local Docker engine),
// no helper is started at all: a helper's start (120–250 ms) was each port-ready service's lag.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { EnvironmentError } from '../../errors.js';
import { containerLabels } from '../../runtime/labels.js';
import type { Backend, Job } from '../../runtime/backend.js';
import { pause } from '../../timing/pause.js';
import { isEngineOwned, listeningSockets, type ListeningSocket, type ProcNetFiles } from './proc-net.js';

export const POLL_MS = 50;
/**
 * Reading the host's /proc directly: five small files, no process started. Every 10 ms while most
 * services open their ports (the first second), then as often as a helper reads: twenty parallel
 * runs each waiting on slow starters would otherwise read thousands of files a second on 2 cores.
 */
const LOCAL_POLL_MS = 10;
const LOCAL_POLL_AFTER_MS = 50;
const LOCAL_FAST_FOR_MS = 1_000;
/** How long a container the engine still calls running may have no process to read. */
const PROCESS_PATIENCE_MS = 2_000;
/** How long a helper whose ports listen lingers before it exits: the reader's logs request lands first. */
const LINGER_MS = 2_000;

/** Plain JS for the helper's node: it must not depend on anything but node itself. */
export const HELPER_SCRIPT = `
const fs = require('fs');
// Another directory only for tests, with fixture tables.
const dir = process.env.ENVTEST_PROC_NET || '/proc/net';
const until = (process.env.ENVTEST_UNTIL_LISTENING || '').split(',').filter(Boolean).map(Number);
// TCP LISTEN (0A), not on Docker's resolver (127.0.0.11, 0B00007F in the table's byte order).
const listens = (files, port) => ['tcp', 'tcp6'].some((f) => files[f].split('\\n').slice(1).some((l) => {
  const [, local = '', , state] = l.trim().split(/\\s+/);
  const [addr, hexPort] = local.split(':');
  return state === '0A' && addr !== '0B00007F' && parseInt(hexPort, 16) === port;
}));
let last = '';
let done = false;
const read = () => {
  if (done) return;
  const files = {};
  for (const f of ['tcp', 'tcp6', 'udp', 'udp6']) {
    try { files[f] = fs.readFileSync(dir + '/' + f, 'utf8'); } catch { files[f] = ''; }
  }
  const line = JSON.stringify(files);
  if (line !== last) { last = line; process.stdout.write(line + '\\n'); }
  if (until.length && until.every((p) => listens(files, p))) {
    done = true;
    clearInterval(timer);
    setTimeout(() => process.exit(0), ${LINGER_MS});
  }
};
const timer = setInterval(read, ${POLL_MS});
read();
`;

/**
 * The same loop in POSIX sh, tried first: a shell starts in a millisecond where node takes 250–350 ms
 * on a loaded machine, which the readiness wait pays on each service's critical path. It prints the
 * same JSON as the node script (the tables hold only hex, spaces, colons and letters, so a newline
 * is the one character to escape), and forks nothing but `sleep` (`read` is a builtin).
 */
export const HELPER_SH_SCRIPT = `
set -f
dir=\${ENVTEST_PROC_NET:-/proc/net}
want=
IFS=,
for p in $ENVTEST_UNTIL_LISTENING; do want="$want $(printf '%04X' "$p")"; done
unset IFS
last=
while :; do
  snap= sep= listening=' '
  for f in tcp tcp6 udp udp6; do
    text=
    if [ -r "$dir/$f" ]; then
      while IFS= read -r line; do
        text="$text$line\\n"
        case $f in tcp*)
          set -- $line
          # TCP LISTEN (0A), not on Docker's resolver (127.0.0.11, 0B00007F in the table's byte order).
          [ "$4" = 0A ] && [ "\${2%:*}" != 0B00007F ] && listening="$listening\${2##*:} "
        esac
      done < "$dir/$f"
    fi
    snap="$snap$sep\\"$f\\":\\"$text\\""
    sep=,
  done
  snap="{$snap}"
  [ "$snap" = "$last" ] || { last=$snap; printf '%s\\n' "$snap"; }
  if [ -n "$want" ]; then
    missing=
    for h in $want; do case $listening in *" $h "*) ;; *) missing=1 ;; esac; done
    [ -z "$missing" ] && { sleep ${LINGER_MS / 1000}; exit 0; }
  fi
  sleep ${POLL_MS / 1000} || sleep 1
done
`;

export interface HelperTarget {
  runId: string;
  project: string;
  service: string;
  containerId: string;
}

/**
 * Listening sockets of the target's namespace, a new list each time they change, engine-owned
 * listeners left out. The helper is removed when the consumer stops iterating; with
 * `untilListening` (a readiness wait), without waiting for the removal to finish.
 */
export async function* listenerSnapshots(
  runtime: Backend,
  target: HelperTarget,
  image: string,
  signal?: AbortSignal,
  opts: { untilListening?: number[] } = {},
): AsyncGenerator<ListeningSocket[]> {
  signal?.throwIfAborted();
  const local = await runtime.localSocketTables?.(target.containerId).catch(() => undefined);
  if (local) return yield* readLocally(runtime, target, local, signal);
  const until = opts.untilListening ?? [];
  const job = await startHelper(runtime, target, image, until, signal);
  let stdout: NodeJS.ReadableStream & { destroy(): void } | undefined;
  try {
    const streams = await job.output({ follow: true });
    stdout = streams.stdout;
    streams.stderr.resume();
    const lines = createInterface({ input: streams.stdout, crlfDelay: Infinity });
    // Closing the reader ends the loop below; destroying the stream alone would leave it waiting.
    const onAbort = () => {
      lines.close();
      streams.stdout.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // An abort during start or logs has already fired, and a reader closed before iterating never
      // ends: the helper prints only on change, so this would wait forever.
      signal?.throwIfAborted();
      for await (const line of lines) {
        if (!line.startsWith('{')) continue;
        yield listeningSockets(JSON.parse(line) as ProcNetFiles).filter((s) => !isEngineOwned(s));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    signal?.throwIfAborted();
    // Removed by the engine already (autoRemove) when it did not linger: its exit code went with it.
    const how = await job.state().then((state) => `with code ${state.exitCode}`, () => 'and was removed');
    throw new EnvironmentError(`could not read the listening ports of ${target.service}: the helper container (${image}) stopped ${how}`, { service: target.service });
  } finally {
    stdout?.destroy();
    const removal = job.remove().catch(() => undefined);
    // A readiness wait (or its failure) is not held up by the removal: the helper is labelled with
    // the run, and exits by itself once its ports listen, should this process end first. One read
    // for an environment that stays up (`envtest ports --attach`) is removed before it returns.
    if (until.length === 0) await removal;
  }
}

/**
 * The helper's loop without the helper, where the backend reads the tables itself: nothing to start
 * and nothing to remove, and a read costs so little that it polls more often than the helper.
 */
async function* readLocally(runtime: Backend, target: HelperTarget, first: () => Promise<ProcNetFiles>, signal: AbortSignal | undefined): AsyncGenerator<ListeningSocket[]> {
  let read = first;
  let last: string | undefined;
  const started = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    let files: ProcNetFiles;
    try {
      files = await read();
    } catch {
      read = await nextProcess(runtime, target, signal);
      continue;
    }
    // Established connections change the tables with every packet; only a change of listeners is news.
    const sockets = listeningSockets(files).filter((s) => !isEngineOwned(s));
    const key = sockets.map((s) => `${s.protocol} ${s.address} ${s.port}`).sort().join(',');
    if (key !== last) {
      last = key;
      yield sockets;
    }
    await pause(Date.now() - started < LOCAL_FAST_FOR_MS ? LOCAL_POLL_MS : LOCAL_POLL_AFTER_MS, signal);
  }
}

/**
 * The service's process is gone: a restart's new one, once there. The engine tells that it stopped
 * only some 50 ms after it did, so a container it still calls running is looked at again; one it
 * calls stopped ends the reading (the container watch tells the crash).
 */
async function nextProcess(runtime: Backend, target: HelperTarget, signal: AbortSignal | undefined): Promise<() => Promise<ProcNetFiles>> {
  for (let look = 1; ; look++) {
    await pause(LOCAL_POLL_AFTER_MS, signal);
    signal?.throwIfAborted();
    const reader = await runtime.localSocketTables?.(target.containerId).catch(() => undefined);
    if (reader) return reader;
    const state = await runtime.serviceState(target.containerId).catch(() => undefined);
    if (state?.status !== 'running' || look * LOCAL_POLL_AFTER_MS >= PROCESS_PATIENCE_MS) {
      throw new EnvironmentError(`could not read the listening ports of ${target.service}: its process is gone (container ${state?.status ?? 'removed'})`, { service: target.service });
    }
  }
}

const HELPERS = [
  { entrypoint: ['/bin/sh'], command: ['-c', HELPER_SH_SCRIPT] },
  { entrypoint: ['node'], command: ['-e', HELPER_SCRIPT] },
];

/**
 * Creates and starts the helper: the sh loop where the image has /bin/sh, else the node script.
 * The image says which only by failing to start the shell (its config does not list its files),
 * which costs an image without a shell one failed start per helper.
 */
async function startHelper(runtime: Backend, target: HelperTarget, image: string, until: number[], signal?: AbortSignal): Promise<Job> {
  for (const [i, helper] of HELPERS.entries()) {
    try {
      return await runtime.startJob(
        {
          name: `${target.project}-${target.runId}-${target.service}-envtest-ports-${randomBytes(2).toString('hex')}`,
          image,
          labels: containerLabels(target.runId, target.project, 'helper', target.service),
          ...helper,
          ...(until.length ? { env: { ENVTEST_UNTIL_LISTENING: until.join(',') } } : {}),
          networks: [],
          inNetworkOf: target.containerId,
          removeWhenDone: true,
        },
        { signal },
      );
    } catch (e) {
      // A start that fails leaves nothing; only the engine saying it cannot run the shell means "use node".
      const noShell = i === 0 && !signal?.aborted && String((e as Error).message).includes(helper.entrypoint[0]!);
      if (!noShell) throw e;
    }
  }
  throw new Error('unreachable: the node helper either starts or throws');
}

/** One snapshot of the target's listening sockets. */
export async function readListeners(runtime: Backend, target: HelperTarget, image: string, signal?: AbortSignal): Promise<ListeningSocket[]> {
  for await (const sockets of listenerSnapshots(runtime, target, image, signal)) return sockets;
  throw new EnvironmentError(`could not read the listening ports of ${target.service}`, { service: target.service });
}
