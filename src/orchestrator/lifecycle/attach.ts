// An environment that is already up (from `envtest up`), found by its run label, so suites can run
// against it repeatedly: the laptop loop. Attaching never tears down.
import pino, { type Logger } from 'pino';
import { UsageError } from '../../errors.js';
import { LABEL } from '../../runtime/labels.js';
import type { Backend } from '../../runtime/backend.js';
import { Environment, replicasOf, type ServiceRecord } from './environment.js';

export async function attach(runtime: Backend, runId: string, logger: Logger = pino({ level: 'silent' })): Promise<Environment> {
  await runtime.ping();
  const found = await runtime.list({ [LABEL.run]: runId });
  const services = found.containers.filter((c) => c.labels[LABEL.role] === 'service');
  // A run id that names nothing is a bad argument, not a failed environment.
  if (services.length === 0) throw new UsageError(`no environment with run id ${runId} is up on this engine (see \`envtest ls\`)`);
  const project = services[0]!.labels[LABEL.project] ?? 'envtest';
  const records: Record<string, ServiceRecord> = {};
  // A scaled service's containers carry their replica number; the first is the service's own.
  const byReplica = [...services].sort((a, b) => Number(a.labels[LABEL.replica] ?? 1) - Number(b.labels[LABEL.replica] ?? 1));
  for (const c of byReplica) {
    const name = c.labels[LABEL.service]!;
    const created = c.createdAt?.getTime() ?? Date.now();
    const replica = { replica: Number(c.labels[LABEL.replica] ?? 1), containerId: c.id, containerName: c.name, publishedPorts: [] };
    const record = (records[name] ??= { service: name, containerId: c.id, containerName: c.name, createdAt: created, startedAt: created, publishedPorts: [] });
    if (record.containerId !== c.id) record.replicas = [...replicasOf(record), replica];
  }
  const networks = Object.fromEntries(found.networks.map((n) => [n.name, n.name]));
  return new Environment(runId, { name: project, services: {} }, networks, records, Date.now(), runtime, logger.child({ run: runId }));
}
