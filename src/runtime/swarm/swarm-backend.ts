// The Swarm backend's verbs: a service is a swarm service (replicated tasks the scheduler spreads
// over the nodes, its files as swarm configs); a job is a container on the manager attached to the
// run's attachable overlay; a change is a task-state change seen by polling (swarm has no task
// events per label). What a swarm cannot do the Docker way is in `limits`.
import type { Backend, FileCopy, Job, JobSpec, RunChange, ServiceState, ServiceTemplate } from '../backend.js';
import type { Labels } from '../runtime.js';
import { SwarmRuntime } from './swarm-runtime.js';

export class SwarmBackend extends SwarmRuntime implements Backend {
  readonly name = 'swarm';

  /** Created and started at once: a swarm service has no created-but-not-started state, and its files go in as configs. */
  async startService(template: ServiceTemplate, opts: { files?: FileCopy[]; signal?: AbortSignal; onCreated?: (id: string) => void | Promise<void> } = {}): Promise<string> {
    // The service's name is its id; told before it exists, so an abort here leaves nothing to find.
    await opts.onCreated?.(template.name);
    opts.signal?.throwIfAborted();
    await this.createService(template, opts.files ?? []);
    return template.name;
  }

  serviceState(id: string, opts: { signal?: AbortSignal } = {}): Promise<ServiceState> {
    return this.inspectContainer(id, opts);
  }

  async *watchRun(labels: Labels, signal: AbortSignal): AsyncIterable<RunChange> {
    for await (const e of this.events(labels, signal)) yield { id: e.containerId, action: e.action, labels: e.labels };
  }

  /** On the manager, on the run's attachable overlay: jobs are envtest's own and need no scheduling. */
  startJob(spec: JobSpec, opts: { files?: FileCopy[]; signal?: AbortSignal } = {}): Promise<Job> {
    return this.local.startJob(spec, opts);
  }

  removeWorkload(id: string, opts: { graceSeconds?: number } = {}): Promise<void> {
    return this.removeContainer(id, opts);
  }
}
