// A swarm service is reachable by name only where its name has arrived: a task's DNS record is
// activated on its own node once the task is healthy (or started, without a check), then spread to
// the other nodes of the overlay by gossip, seconds later under load. A dependent scheduled on
// another node in between cannot resolve it (seen with three parallel runs: `psql: could not
// translate host name "db"`). So a service counts as ready on a swarm only once its name resolves
// on every node: a global one-shot service, started with the service, waits there for the name.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { isNotFound } from '../docker/engine-errors.js';
import { LABEL } from '../labels.js';
import type { Labels, NetworkAttachment, ServiceState } from '../backend.js';
import { nodeHelperService } from './service-spec.js';
import type { SwarmTask } from './task-state.js';

/** Long enough for any start the run would wait for; the run's teardown removes it sooner. */
const GIVE_UP_AFTER_TENTHS = 6000;

const WAIT_SCRIPT = `n=0; for name in "$@"; do until getent hosts "$name" >/dev/null 2>&1; do
n=$((n+1)); if [ "$n" -ge ${GIVE_UP_AFTER_TENTHS} ]; then echo "$name does not resolve here" >&2; exit 1; fi; sleep 0.1; done; done`;

/**
 * The job for one service: on every node, on the service's networks, until each network's first
 * alias (the compose service name) resolves. Undefined where the service has no name to wait for.
 */
export function nameWatchSpec(service: { name: string; labels: Labels; networks: NetworkAttachment[] }, image: string): Record<string, unknown> | undefined {
  const names = [...new Set(service.networks.flatMap((n) => n.aliases.slice(0, 1)))];
  if (!names.length) return undefined;
  // The run's label without the service's: a run's services are what carries envtest.service.
  const labels = { [LABEL.run]: service.labels[LABEL.run] ?? '', [LABEL.role]: 'helper', [LABEL.namesOf]: service.labels[LABEL.service] ?? service.name };
  // Labelled with the run, its exited containers go with the run's per-node sweep.
  const command = ['sh', '-c', WAIT_SCRIPT, 'names', ...names];
  return nodeHelperService(watchName(labels[LABEL.run], labels[LABEL.namesOf]), labels, image, command, service.networks.map((n) => n.network));
}

/**
 * The run first, so it reads as the run's, and a part no `<project>-<run>-<service>` can end up
 * with; within the 63 characters of a DNS label, where a long service name gives way to its hash.
 */
function watchName(runId: string, service: string): string {
  const readable = `${runId}-envtest-names-${service}`;
  return readable.length <= 63 ? readable : `${runId}-names-${createHash('sha256').update(service).digest('hex').slice(0, 8)}`;
}

export type NameVisibility = { visible: true } | { visible: false; waitingOn: string };

/** Pure: the job's tasks → whether the name is known on every one of `nodes` nodes. */
export function judgeVisibility(tasks: SwarmTask[], nodes: number, nodeName: (id: string) => string): NameVisibility {
  const complete = tasks.filter((t) => t.Status?.State === 'complete');
  if (complete.length >= nodes && complete.length === tasks.length) return { visible: true };
  const failed = tasks.find((t) => ['failed', 'rejected'].includes(t.Status?.State ?? ''));
  if (failed) return { visible: false, waitingOn: `the name lookup failed on ${nodeName(failed.NodeID ?? '')}: ${failed.Status?.Err ?? failed.Status?.State}` };
  const looking = tasks.filter((t) => t.Status?.State === 'running').map((t) => nodeName(t.NodeID ?? ''));
  const before = tasks.filter((t) => !['running', 'complete'].includes(t.Status?.State ?? '')).map((t) => `${t.Status?.State ?? 'new'} on ${nodeName(t.NodeID ?? '')}`);
  const why = [
    ...(looking.length ? [`its name does not resolve yet on ${looking.join(', ')}`] : []),
    ...(before.length ? [`its name lookup is ${before.join(', ')}`] : []),
  ];
  return { visible: false, waitingOn: why.join('; ') || 'its name lookup has not reached every node yet' };
}

/**
 * Holds back a ready state until the name is visible: `healthy` stays `starting` (the reason in the
 * health output), a service without a check stays `created`. An exited service is left as it is.
 */
export function holdUntilVisible<S extends Pick<ServiceState, 'status' | 'health' | 'startedAt' | 'lastHealthOutput'>>(s: S, visibility: NameVisibility): S {
  if (visibility.visible || s.status !== 'running') return s;
  if (s.health === 'healthy') return { ...s, health: 'starting', lastHealthOutput: `healthy; ${visibility.waitingOn}` };
  if (s.health === 'none') return { ...s, status: 'created', startedAt: undefined };
  return s;
}

interface Watch {
  id: Promise<string>;
  /** Known on every node, or no longer awaited (the service exited): either way its job goes. */
  over: boolean;
  /** The poll under way. Dependents and replicas ask at once; one of them ending the watch must not leave another listing the tasks of a removed service, which the engine answers with a 404. */
  polling?: Promise<NameVisibility>;
}

/**
 * The watches of one process's services. One job per compose service, shared by its replicas (each
 * a swarm service of its own, under one name). A job goes as soon as it is over, so its tasks leave
 * the overlay while the run goes on, not during its teardown.
 */
export class NameWatches {
  private readonly byService = new Map<string, Watch>();
  private readonly bySwarmName = new Map<string, Watch>();

  constructor(
    private readonly docker: Docker,
    private readonly activeNodes: () => Promise<number>,
    private readonly nodeName: (id: string) => Promise<string>,
  ) {}

  async start(service: { name: string; labels: Labels; networks: NetworkAttachment[] }, image: string | undefined): Promise<void> {
    const spec = image ? nameWatchSpec(service, image) : undefined;
    if (!spec) return;
    const key = (spec.Labels as Labels)[LABEL.namesOf]!;
    let watch = this.byService.get(key);
    if (!watch) {
      const id = this.docker.createService(spec as unknown as Docker.CreateServiceOptions).then((c) => (c as unknown as { id: string }).id);
      watch = { id, over: false };
      this.byService.set(key, watch);
    }
    this.bySwarmName.set(service.name, watch);
    await watch.id;
  }

  async visibility(service: string): Promise<NameVisibility> {
    const watch = this.bySwarmName.get(service);
    if (!watch || watch.over) return { visible: true };
    watch.polling ??= this.poll(watch).finally(() => (watch.polling = undefined));
    return watch.polling;
  }

  private async poll(watch: Watch): Promise<NameVisibility> {
    const id = await watch.id;
    const listed = await Promise.all([this.docker.listTasks({ filters: { service: [id] } }) as Promise<SwarmTask[]>, this.activeNodes()]).catch((e: unknown) => {
      // Ended meanwhile (its service exited) and already removed: no one waits for the name.
      if (watch.over && isNotFound(e)) return undefined;
      throw e;
    });
    if (!listed) return { visible: true };
    const [tasks, nodes] = listed;
    const names = new Map(await Promise.all(tasks.map(async (t) => [t.NodeID ?? '', await this.nodeName(t.NodeID ?? '')] as const)));
    const seen = judgeVisibility(tasks, nodes, (node) => names.get(node) ?? node);
    if (seen.visible) this.end(watch);
    return seen;
  }

  /** The service has exited: no one waits for its name any more, and its lookups would go on for minutes. */
  forget(service: string): void {
    const watch = this.bySwarmName.get(service);
    if (watch) this.end(watch);
  }

  private end(watch: Watch): void {
    if (watch.over) return;
    watch.over = true;
    // In the background: the run's teardown removes it by label if this has not yet.
    void watch.id.then((id) => this.docker.getService(id).remove()).catch(() => undefined);
  }
}
