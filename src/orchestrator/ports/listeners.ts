// Reads a service's listening sockets from outside it: a short-lived helper container joins the
// service's network namespace (`container:<id>`) and prints /proc/net/{tcp,tcp6,udp,udp6}, so
// images with no shell and no tools (FROM scratch) work, and nothing is ever exec'd in a service.
// The helper prints a snapshot whenever the tables change (polled every 50 ms): one helper serves
// both the one-off inventory and the readiness wait.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { EnvironmentError } from '../../errors.js';
import { containerLabels } from '../../runtime/labels.js';
import type { ContainerRuntime } from '../../runtime/runtime.js';
import { isEngineOwned, listeningSockets, type ListeningSocket, type ProcNetFiles } from './proc-net.js';

export const POLL_MS = 50;

/** Plain JS for the helper's node: it must not depend on anything but node itself. */
const HELPER_SCRIPT = `
const fs = require('fs');
let last = '';
const read = () => {
  const files = {};
  for (const f of ['tcp', 'tcp6', 'udp', 'udp6']) {
    try { files[f] = fs.readFileSync('/proc/net/' + f, 'utf8'); } catch { files[f] = ''; }
  }
  const line = JSON.stringify(files);
  if (line !== last) { last = line; process.stdout.write(line + '\\n'); }
};
read();
setInterval(read, ${POLL_MS});
`;

export interface HelperTarget {
  runId: string;
  project: string;
  service: string;
  containerId: string;
}

/**
 * Listening sockets of the target's namespace, a new list each time they change, engine-owned
 * listeners left out. The helper is removed when the consumer stops iterating.
 */
export async function* listenerSnapshots(runtime: ContainerRuntime, target: HelperTarget, image: string, signal?: AbortSignal): AsyncGenerator<ListeningSocket[]> {
  signal?.throwIfAborted();
  const id = await runtime.createContainer({
    name: `${target.project}-${target.runId}-${target.service}-envtest-ports-${randomBytes(2).toString('hex')}`,
    image,
    labels: containerLabels(target.runId, target.project, 'helper', target.service),
    entrypoint: ['node'],
    command: ['-e', HELPER_SCRIPT],
    networks: [],
    networkMode: `container:${target.containerId}`,
  });
  let stdout: NodeJS.ReadableStream & { destroy(): void } | undefined;
  try {
    await runtime.startContainer(id, { signal });
    const streams = await runtime.logs(id, { follow: true });
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
    const state = await runtime.inspectContainer(id);
    throw new EnvironmentError(`could not read the listening ports of ${target.service}: the helper container (${image}) stopped with code ${state.exitCode}`, { service: target.service });
  } finally {
    stdout?.destroy();
    await runtime.removeContainer(id).catch(() => undefined);
  }
}

/** One snapshot of the target's listening sockets. */
export async function readListeners(runtime: ContainerRuntime, target: HelperTarget, image: string, signal?: AbortSignal): Promise<ListeningSocket[]> {
  for await (const sockets of listenerSnapshots(runtime, target, image, signal)) return sockets;
  throw new EnvironmentError(`could not read the listening ports of ${target.service}`, { service: target.service });
}
