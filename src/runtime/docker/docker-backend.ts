// The Docker backend: the verbs of backend.ts on one engine. A service is a container created,
// given its files and started; a job is the same with envtest's own image; a change is an engine
// event. The Docker-shaped calls underneath (ContainerRuntime) are this backend's own API.
import type { Backend, BackendLimits, FileCopy, Job, JobSpec, RunChange, ServiceState, ServiceTemplate } from '../backend.js';
import type { ContainerRuntime, ContainerSpec, Labels, ResourceSummary } from '../runtime.js';
import { DockerRuntime } from './docker-runtime.js';
import { filesArchives } from './file-archive.js';

type RuntimeClass = new (...args: any[]) => ContainerRuntime; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The verbs over any Docker-shaped engine (the real one, or a test's in-memory one). */
export function withDockerVerbs<T extends RuntimeClass>(Base: T) {
  return class DockerVerbs extends Base {
    async startService(template: ServiceTemplate, opts: { files?: FileCopy[]; signal?: AbortSignal; onCreated?: (id: string) => void | Promise<void> } = {}): Promise<string> {
      const { signal } = opts;
      const id = await this.createContainer(template);
      await opts.onCreated?.(id);
      signal?.throwIfAborted(); // created, so teardown finds it; never started after an abort
      // Secrets and configs are in place before the service's first instruction runs.
      await this.copyFiles(id, opts.files ?? [], signal);
      await this.startContainer(id, { signal });
      return id;
    }

    serviceState(id: string, opts: { signal?: AbortSignal } = {}): Promise<ServiceState> {
      return this.inspectContainer(id, opts);
    }

    async *watchRun(labels: Labels, signal: AbortSignal): AsyncIterable<RunChange> {
      for await (const e of this.events(labels, signal)) yield { id: e.containerId, action: e.action, labels: e.labels };
    }

    async startJob(spec: JobSpec, opts: { files?: FileCopy[]; signal?: AbortSignal } = {}): Promise<Job> {
      const { signal } = opts;
      const id = await this.createContainer(jobContainer(spec));
      let held: Job['held'];
      try {
        await this.copyFiles(id, opts.files ?? [], signal);
        signal?.throwIfAborted();
        // Attached before the start: with StdinOnce the engine closes stdin when this attachment ends.
        if (spec.holdStdin) held = await this.attachStdin(id, { signal });
        await this.startContainer(id, { signal });
      } catch (e) {
        // Removed before the hold goes: a reaper that saw its stdin end first would reap the run.
        await this.removeContainer(id).catch(() => undefined);
        held?.close();
        throw e;
      }
      return {
        id,
        held,
        // A job never has a TTY (jobContainer gives it none).
        output: ({ follow }) => this.logs(id, { follow, tty: false }),
        exited: (o = {}) => this.waitForExit(id, o),
        state: () => this.inspectContainer(id),
        remove: () => this.removeContainer(id),
      };
    }

    async copyFiles(id: string, files: FileCopy[], signal: AbortSignal | undefined): Promise<void> {
      for (const { dir, archive } of await filesArchives(files)) await this.putArchive(id, dir, archive, { signal });
    }

    removeWorkload(id: string, opts: { graceSeconds?: number } = {}): Promise<void> {
      return this.removeContainer(id, opts);
    }

    cutOff(id: string, networks: ResourceSummary[]): Promise<void> {
      return this.cutOffContainer(id, networks);
    }
  };
}

function jobContainer(spec: JobSpec): ContainerSpec {
  const networking: Pick<ContainerSpec, 'networks' | 'networkMode'> = spec.inNetworkOf
    ? { networks: [], networkMode: `container:${spec.inNetworkOf}` }
    : spec.hostNetwork
      ? { networks: [], networkMode: 'host' }
      : { networks: spec.networks.map((network) => ({ network, aliases: [] })), ...(spec.isolated ? { networkMode: 'none' } : {}) };
  return {
    name: spec.name,
    image: spec.image,
    labels: spec.labels,
    entrypoint: spec.entrypoint,
    command: spec.command,
    env: spec.env,
    ...networking,
    ...(spec.engineSocket ? { engineSocket: spec.engineSocket } : {}),
    ...(spec.holdStdin ? { stdinOnce: true } : {}),
    ...(spec.removeWhenDone ? { autoRemove: true } : {}),
  };
}

export const DOCKER_LIMITS: BackendLimits = { shareNetworkNamespace: true, buildsNeedRegistry: false, spreadsOverNodes: false };

export class DockerBackend extends withDockerVerbs(DockerRuntime) implements Backend {
  readonly name = 'docker';
  override readonly limits = DOCKER_LIMITS;
}
