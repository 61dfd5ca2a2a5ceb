// `envtest ports` as a library call on an environment that is up: for every running service, its
// declared ports, its listeners (read by a helper in its namespace), and a dial plus handshake
// from the sidecar for each TCP listener other services could use.
import type { Logger } from 'pino';
import type { PortFinding, PortInventory, ProbeResult } from '../../model/ports.js';
import type { Backend } from '../../runtime/backend.js';
import { replicasOf, type Environment } from '../lifecycle/environment.js';
import { resolveSidecarImage, runChecksInSidecar } from '../sidecar/sidecar.js';
import { dialTargets, judgePort, portsOf, type DialTarget } from './classify.js';
import { readListeners } from './listeners.js';

export const PROBE_TIMEOUT_MS = 2000;

export interface InventoryOptions {
  runtime: Backend;
  env: Environment;
  /** The helper and the sidecar both run in it (any image with node). */
  sidecarImage?: string;
  logger: Logger;
  signal?: AbortSignal;
}

export async function takeInventory(opts: InventoryOptions): Promise<PortInventory> {
  const { runtime, env } = opts;
  const image = await resolveSidecarImage(runtime, opts.sidecarImage);
  if (!(await runtime.imageExists(image))) await runtime.pullImage(image);
  const records = Object.values(env.services).sort((a, b) => a.service.localeCompare(b.service));
  // Every container of every service; a scaled service's findings are merged per port below.
  const seen = await Promise.all(
    records.flatMap((record) =>
      replicasOf(record).map(async (replica) => {
        const state = await runtime.serviceState(replica.containerId);
        // A finished one-shot job has no ports; a service sharing another's namespace shows its listeners there.
        const sharesNamespace = !!env.project.services[record.service]?.network_mode;
        if (state.status !== 'running' || sharesNamespace) return undefined;
        const sockets = await readListeners(runtime, { runId: env.runId, project: env.project.name, service: record.service, containerId: replica.containerId }, image, opts.signal);
        const addresses = (state.networkAddresses ?? []).flatMap((n) => [n.ipv4, n.ipv6]).filter((a): a is string => !!a);
        const label = record.replicas ? `${record.service}-${replica.replica}` : record.service;
        const entries = portsOf(state.exposedPorts ?? [], sockets).map((entry) => ({ entry, targets: dialTargets(label, entry, addresses) }));
        return { service: record.service, replica: record.replicas ? replica.replica : undefined, entries };
      }),
    ),
  );
  const containers = seen.filter((s) => s !== undefined);
  const targets = containers.flatMap((s) => s.entries.flatMap((e) => e.targets));
  const results = await probe(opts, image, targets);
  const out: Record<string, PortFinding[]> = {};
  for (const c of containers) {
    const findings = c.entries.map(({ entry, targets }) => judgePort(entry, targets, results));
    out[c.service] = c.replica === undefined ? findings : mergeReplica(out[c.service] ?? [], c.replica, findings);
  }
  return { runId: env.runId, project: env.project.name, services: out };
}

/** Adds one replica's findings to its service's: one finding per port, the first bad replica's if any. */
function mergeReplica(merged: PortFinding[], replica: number, findings: PortFinding[]): PortFinding[] {
  const out = [...merged];
  for (const f of findings) {
    const mine = { replica, finding: f.finding, reachable: f.reachable, ...(f.note ? { note: f.note } : {}) };
    const i = out.findIndex((m) => m.port === f.port && m.protocol === f.protocol);
    if (i < 0) {
      out.push({ ...f, replicas: [mine] });
      continue;
    }
    const current = out[i]!;
    const replicas = [...(current.replicas ?? []), mine];
    const worse = current.finding === 'ok' && f.finding !== 'ok';
    out[i] = { ...(worse ? f : current), addresses: [...new Set([...current.addresses, ...f.addresses])], replicas };
  }
  return out.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

async function probe(opts: InventoryOptions, image: string, targets: DialTarget[]): Promise<Map<string, ProbeResult>> {
  const results = new Map<string, ProbeResult>();
  if (targets.length === 0) return results;
  await runChecksInSidecar({
    runtime: opts.runtime,
    env: opts.env,
    image,
    logger: opts.logger,
    signal: opts.signal,
    job: { kind: 'probe', targets, timeoutMs: PROBE_TIMEOUT_MS },
    onEvent: (e) => {
      if (e.type === 'probe') results.set(e.id, e);
    },
  });
  return results;
}
