// The Swarm backend: the verbs of backend.ts against a swarm manager. A service is a swarm service
// (replicated tasks the scheduler spreads over the nodes, its files as swarm configs); jobs, helpers
// and the reaper are containers on the manager, attached to the run's attachable overlay (the
// Docker backend of the manager's own engine runs them). Everything is found by label: services and
// their tasks' containers, configs, networks, and the volumes each node made (removed by a global
// one-shot job, since only a node sees its volumes).
import { PassThrough, Readable } from 'node:stream';
import type Docker from 'dockerode';
import { EngineUnavailableError, EnvironmentError } from '../../errors.js';
import { nodeSweepService } from '../../reaper/node-sweep.js';
import { DockerBackend } from '../docker/docker-backend.js';
import { splitReference } from '../docker/docker-runtime.js';
import { connectDocker } from '../docker/connect.js';
import { isNotFound } from '../docker/engine-errors.js';
import { discoverEngine, type EngineLocation } from '../docker/engine-discovery.js';
import { pause } from '../../timing/pause.js';
import { LABEL } from '../labels.js';
import type {
  Backend,
  BackendLimits,
  BuildSpec,
  ExecSession,
  ExecSpec,
  FileCopy,
  ImageIdentity,
  Job,
  JobSpec,
  Labels,
  ListedResources,
  LogOptions,
  NetworkSpec,
  ResourceSummary,
  ResourceUsage,
  RunChange,
  ServiceState,
  ServiceTemplate,
  VolumeOptions,
} from '../backend.js';
import { leftOutOfSwarm, nodeHelperService, swarmServiceSpec, type SwarmFile } from './service-spec.js';
import { summarizeTasks, type SwarmTask } from './task-state.js';
import { holdUntilVisible, NameWatches } from './name-watch.js';

export interface SwarmOptions {
  /** Where images built here are pushed for the nodes to pull (`host:port`). */
  registry?: string;
  /** An image with node on every node (or in the registry): runs the per-node sweep. */
  sweepImage?: string;
}

const POLL_MS = 500;
/** An overlay keeps endpoints for a while after its last task is gone, on whichever node ran it. */
const OVERLAY_ENDPOINT_PATIENCE_MS = 15_000;
const labelFilter = (labels: Labels) => Object.entries(labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`));

export class SwarmBackend implements Backend {
  readonly endpoint: string;
  readonly limits: BackendLimits = { shareNetworkNamespace: false, buildsNeedRegistry: true, spreadsOverNodes: true, leftOut: leftOutOfSwarm };
  readonly name = 'swarm';
  /** The manager's own engine: jobs, helpers and the reaper run there. */
  private readonly local: DockerBackend;
  /** Local tag → the reference the nodes pull. */
  private readonly pushed = new Map<string, string>();
  private readonly publishing = new Map<string, Promise<string>>();
  private readonly healthOf = new Map<string, Promise<boolean>>();
  private nodeNames?: Promise<Map<string, string>>;
  private managerNode?: string;

  private readonly docker: Docker;
  private readonly nameWatches: NameWatches;

  /** The manager is found as the docker CLI finds an engine (DOCKER_HOST, then the current context). */
  constructor(
    private readonly options: SwarmOptions = {},
    env: NodeJS.ProcessEnv = process.env,
    engine: EngineLocation = discoverEngine(env),
    docker: Docker = connectDocker(engine, env),
  ) {
    this.local = new DockerBackend(env, engine, { endpointPatienceMs: OVERLAY_ENDPOINT_PATIENCE_MS });
    this.docker = docker;
    this.endpoint = this.local.endpoint;
    this.nameWatches = new NameWatches(this.docker, () => this.activeNodeCount(), async (id) => (await this.names()).get(id) ?? id);
  }

  engineSocketPaths(): string[] {
    return this.local.engineSocketPaths();
  }

  get registry(): string | undefined {
    return this.options.registry;
  }

  async ping(): Promise<void> {
    await this.local.ping();
    const info = (await this.docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string } };
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      throw new EngineUnavailableError(
        `the engine at ${this.endpoint} is not a swarm manager (swarm state: ${info.Swarm?.LocalNodeState ?? 'unknown'}): point DOCKER_HOST at a manager, or use --backend docker`,
      );
    }
    this.managerNode = info.Swarm.NodeID;
  }

  imageExists(ref: string): Promise<boolean> {
    return this.local.imageExists(ref);
  }

  inspectImage(ref: string): Promise<ImageIdentity | undefined> {
    return this.local.inspectImage(ref);
  }

  pullImage(ref: string, opts?: { signal?: AbortSignal }): Promise<void> {
    return this.local.pullImage(ref, opts);
  }

  /** Built on the manager, then pushed under a content-derived tag: parallel runs never overwrite each other's image. */
  async buildImage(spec: BuildSpec, opts?: { onLine?: (line: string) => void; signal?: AbortSignal }): Promise<void> {
    await this.local.buildImage(spec, opts);
    await this.publish(spec.tag, opts?.signal);
  }

  /** Makes a manager-local image pullable by every node (through the registry); a no-op without one. */
  async publish(tag: string, signal?: AbortSignal): Promise<string> {
    const registry = this.options.registry;
    if (!registry) return tag;
    const identity = await this.local.inspectImage(tag);
    if (!identity) throw new EnvironmentError(`image ${tag} is not on the manager, so it cannot be pushed to ${registry}`);
    const { repo } = splitReference(tag);
    const target = `${registry}/${repo.replace(/^[^/]+\.[^/]+\//, '')}`;
    const version = identity.id.replace(/^sha256:/, '').slice(0, 16);
    await this.docker.getImage(tag).tag({ repo: target, tag: version });
    const ref = `${target}:${version}`;
    // The engine insists on an auth header even for an open registry.
    const stream = await this.docker.getImage(ref).push({ authconfig: { serveraddress: registry }, abortSignal: signal } as object);
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed) reject(new EnvironmentError(`pushing ${ref} to the registry ${registry} failed: ${failed instanceof Error ? failed.message : failed.error}`));
        else resolve();
      }),
    );
    this.pushed.set(tag, ref);
    return ref;
  }

  /**
   * What the nodes pull for a service's image: what this process built and pushed; an image envtest
   * built earlier (its build skipped as unchanged this time), pushed now; else the name as it is.
   */
  private nodeReference(image: string, signal?: AbortSignal): Promise<string> {
    const pushed = this.pushed.get(image);
    if (pushed) return Promise.resolve(pushed);
    if (!this.options.registry) return Promise.resolve(image);
    // Once per image, however many replicas start at once.
    let publishing = this.publishing.get(image);
    if (!publishing) {
      publishing = this.local.inspectImage(image).then((found) => (found?.labels[LABEL.buildHash] ? this.publish(image, signal) : image));
      this.publishing.set(image, publishing);
      publishing.catch(() => this.publishing.delete(image));
    }
    return publishing;
  }

  async createNetwork(spec: NetworkSpec): Promise<string> {
    // Attachable, so the check runner (a plain container on the manager) can join the services.
    const driver = !spec.driver || spec.driver === 'bridge' ? 'overlay' : spec.driver;
    const id = await this.local.createNetwork({ ...spec, driver });
    if (driver === 'overlay') await this.holdEveryNodeOn(spec, id);
    return id;
  }

  /**
   * A node learns the names on an overlay through the overlay's gossip, which it joins only when a
   * task on that network first lands on it: a dependent started there just after its dependency
   * turned healthy could not resolve the dependency's name yet (seen with parallel runs). A global
   * service on the network holds every node in it from the start. Labelled with the run, it goes
   * with the run's services; without a sweep image (nothing known to be on every node) it is skipped.
   */
  private async holdEveryNodeOn(spec: NetworkSpec, network: string): Promise<void> {
    const image = this.options.sweepImage;
    if (!image) return;
    const labels = { ...spec.labels, [LABEL.role]: 'helper' };
    const holder = nodeHelperService(`${spec.name}-nodes`, labels, this.pushed.get(image) ?? image, ['sleep', 'infinity'], [network]);
    const created = (await this.docker.createService(holder as unknown as Docker.CreateServiceOptions)) as unknown as { id: string };
    const nodes = await this.activeNodeCount();
    for (let i = 0; i < 60; i++) {
      const tasks = await this.tasks(created.id);
      if (tasks.filter((t) => t.Status?.State === 'running').length >= nodes) return;
      if (tasks.some((t) => ['failed', 'rejected'].includes(t.Status?.State ?? ''))) return;
      await pause(POLL_MS);
    }
  }

  /** The nodes a global service runs on. */
  private async activeNodeCount(): Promise<number> {
    const nodes = (await this.docker.listNodes()) as { Status?: { State?: string }; Spec?: { Availability?: string } }[];
    return nodes.filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').length;
  }

  /** A swarm volume is made by whichever node runs a task that mounts it (labelled by the mount); nothing to make here. */
  async createVolume(_name: string, _labels: Labels, _opts?: VolumeOptions): Promise<void> {}

  /** Created and started at once: a swarm service has no created-but-not-started state, and its files go in as configs. */
  async startService(template: ServiceTemplate, opts: { files?: FileCopy[]; signal?: AbortSignal; onCreated?: (id: string) => void | Promise<void> } = {}): Promise<string> {
    // The service's name is its id: told before it exists, so an abort here leaves nothing to find.
    await opts.onCreated?.(template.name);
    opts.signal?.throwIfAborted();
    await this.createService(template, opts.files ?? []);
    return template.name;
  }

  /** On the manager, on the run's attachable overlay: jobs are envtest's own and need no scheduling. */
  startJob(spec: JobSpec, opts: { files?: FileCopy[]; signal?: AbortSignal } = {}): Promise<Job> {
    return this.local.startJob(spec, opts);
  }

  /** A swarm service of the spec, its files as configs; restart condition none, so a crash is seen. */
  private async createService(spec: ServiceTemplate, files: FileCopy[]): Promise<void> {
    const configs = await this.createConfigs(spec, files);
    const image = await this.nodeReference(spec.image);
    const { spec: service } = swarmServiceSpec({ ...spec, image }, configs);
    await this.docker.createService(service as unknown as Docker.CreateServiceOptions);
    const sweep = this.options.sweepImage;
    await this.nameWatches.start(spec, sweep && (this.pushed.get(sweep) ?? sweep));
  }

  /** Each file becomes a swarm config of the run, mounted where it would have been copied. */
  private async createConfigs(spec: ServiceTemplate, files: FileCopy[]): Promise<SwarmFile[]> {
    const configs: SwarmFile[] = [];
    for (const f of files) {
      const name = `${spec.name}-${configs.length}-${Date.now().toString(36)}`;
      const created = (await this.docker.createConfig({ Name: name, Labels: spec.labels, Data: Buffer.from(f.content).toString('base64') })) as { id?: string; ID?: string };
      configs.push({ configId: created.id ?? created.ID ?? name, configName: name, target: `/${f.path.replace(/^\/+/, '')}`, mode: f.mode ?? 0o444 });
    }
    return configs;
  }

  private async tasks(service: string): Promise<SwarmTask[]> {
    return (await this.docker.listTasks({ filters: { service: [service] } })) as SwarmTask[];
  }

  private async serviceInfo(id: string): Promise<{ ID: string; Spec: { Name: string; Mode?: { Replicated?: { Replicas?: number } }; TaskTemplate: { ContainerSpec: { Image: string; Healthcheck?: { Test?: string[] } } } } } | undefined> {
    try {
      return (await this.docker.getService(id).inspect()) as never;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private hasHealthcheck(service: NonNullable<Awaited<ReturnType<SwarmBackend['serviceInfo']>>>): Promise<boolean> {
    let known = this.healthOf.get(service.ID);
    if (!known) {
      const own = service.Spec.TaskTemplate.ContainerSpec.Healthcheck?.Test;
      known = own?.length
        ? Promise.resolve(own[0] !== 'NONE')
        : this.docker
            .getImage(service.Spec.TaskTemplate.ContainerSpec.Image.replace(/@sha256:.*$/, ''))
            .inspect()
            .then((i) => !!i.Config?.Healthcheck?.Test?.length && i.Config.Healthcheck.Test[0] !== 'NONE')
            .catch(() => false);
      this.healthOf.set(service.ID, known);
    }
    return known;
  }

  private names(): Promise<Map<string, string>> {
    this.nodeNames ??= this.docker
      .listNodes()
      .then((nodes) => new Map(nodes.map((n) => [n.ID as string, (n.Description?.Hostname as string | undefined) ?? (n.ID as string)])))
      .catch(() => new Map());
    return this.nodeNames;
  }

  async serviceState(id: string, opts: { signal?: AbortSignal } = {}): Promise<ServiceState> {
    const service = await this.serviceInfo(id);
    if (!service) return this.local.serviceState(id, opts);
    const [tasks, healthcheck, names] = await Promise.all([this.tasks(service.ID), this.hasHealthcheck(service), this.names()]);
    const replicas = service.Spec.Mode?.Replicated?.Replicas ?? 1;
    const summary = summarizeTasks(tasks, replicas, healthcheck, names);
    const state = { ...summary, id: service.Spec.Name, name: service.Spec.Name };
    if (state.status !== 'running') {
      if (state.status === 'exited') this.nameWatches.forget(service.Spec.Name);
      return state;
    }
    return holdUntilVisible(state, await this.nameWatches.visibility(service.Spec.Name));
  }

  async logs(id: string, opts: LogOptions): Promise<{ stdout: Readable; stderr: Readable }> {
    if (!(await this.serviceInfo(id))) return this.local.logs(id, opts);
    const raw = (await this.docker.getService(id).logs({
      stdout: true,
      stderr: true,
      follow: opts.follow,
      ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
      ...(opts.sinceMs !== undefined ? { since: opts.sinceMs / 1000 } : {}),
      ...(opts.timestamps ? { timestamps: true } : {}),
    } as never)) as unknown as NodeJS.ReadableStream | Buffer;
    const stream = Buffer.isBuffer(raw) ? Readable.from([raw]) : (raw as Readable);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(stream, stdout, stderr);
    const end = () => {
      stdout.end();
      stderr.end();
    };
    stream.on('end', end);
    stream.on('error', end);
    const stop = () => stream.destroy?.();
    stdout.on('close', stop);
    stderr.on('close', stop);
    return { stdout, stderr };
  }

  /** Only a task on the manager is reachable: exec needs the engine that runs the container. */
  async exec(id: string, spec: ExecSpec): Promise<ExecSession> {
    const service = await this.serviceInfo(id);
    if (!service) return this.local.exec(id, spec);
    const tasks = (await this.tasks(service.ID)).filter((t) => t.Status?.State === 'running');
    const here = tasks.find((t) => t.NodeID === this.managerNode && t.Status?.ContainerStatus?.ContainerID);
    if (!here) {
      const names = await this.names();
      const where = tasks.map((t) => names.get(t.NodeID ?? '') ?? t.NodeID).join(', ') || 'no node';
      throw new EnvironmentError(`exec reaches only tasks on the swarm manager envtest talks to; ${service.Spec.Name} runs on ${where}`);
    }
    return this.local.exec(here.Status!.ContainerStatus!.ContainerID!, spec);
  }

  /** Tasks run on other engines: no samples for services (the report's resources say nothing for them). */
  async stats(id: string, opts?: { now?: boolean; signal?: AbortSignal }): Promise<ResourceUsage | undefined> {
    if (id.includes('-')) return undefined;
    return this.local.stats(id, opts);
  }

  /** Swarm has no task event stream per label: the run's services are polled, and each change is an event. */
  async *watchRun(labels: Labels, signal: AbortSignal): AsyncIterable<RunChange> {
    const seen = new Map<string, string>();
    while (!signal.aborted) {
      try {
        const services = await this.docker.listServices({ filters: { label: labelFilter(labels) } });
        const tasks = services.length ? ((await this.docker.listTasks({ filters: { service: services.map((s) => s.ID as string) } })) as SwarmTask[]) : [];
        for (const s of services) {
          const name = (s.Spec as { Name: string }).Name;
          const mark = tasks.filter((t) => t.ServiceID === s.ID).map((t) => `${t.ID}:${t.Status?.State}`).sort().join(',');
          if (seen.get(name) !== mark) {
            seen.set(name, mark);
            yield { id: name, action: 'update', labels: (s.Spec as { Labels?: Labels }).Labels ?? {} };
          }
        }
      } catch (e) {
        if (!signal.aborted) throw e;
      }
      await pause(POLL_MS, signal);
    }
  }

  async list(labels: Labels): Promise<ListedResources> {
    const [local, services] = await Promise.all([this.local.list(labels), this.docker.listServices({ filters: { label: labelFilter(labels) } })]);
    // A task's container on the manager is its service's, removed with it.
    const containers = local.containers.filter((c) => !c.labels['com.docker.swarm.task.id']);
    const asResources: ResourceSummary[] = services.map((s) => {
      const spec = s.Spec as { Name: string; Labels?: Labels };
      return { id: s.ID as string, name: spec.Name, labels: spec.Labels ?? {}, createdAt: s.CreatedAt ? new Date(s.CreatedAt as string) : undefined, state: 'service' };
    });
    return { ...local, containers: [...asResources, ...containers] };
  }

  async removeWorkload(id: string, opts: { graceSeconds?: number } = {}): Promise<void> {
    const service = await this.serviceInfo(id);
    if (!service) return this.local.removeWorkload(id, opts);
    const labels = (service.Spec as { Labels?: Labels }).Labels ?? {};
    try {
      await this.docker.getService(service.ID).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // Its tasks leave the overlay network asynchronously; the network cannot go before they have.
    for (let i = 0; i < 60 && (await this.tasks(service.ID).catch(() => [])).length > 0; i++) await pause(POLL_MS);
    await this.removeConfigs({ [LABEL.run]: labels[LABEL.run] ?? '', [LABEL.service]: labels[LABEL.service] ?? '' });
  }

  private async removeConfigs(labels: Labels): Promise<number> {
    const configs = (await this.docker.listConfigs({ filters: { label: labelFilter(labels) } })) as { ID: string }[];
    await Promise.all(configs.map((c) => this.docker.getConfig(c.ID).remove().catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))));
    return configs.length;
  }

  /** The manager's engine waits out the overlay's lingering endpoints (OVERLAY_ENDPOINT_PATIENCE_MS). */
  async removeNetwork(id: string): Promise<void> {
    await this.local.removeNetwork(id);
    // A swarm removes an overlay once the tasks that used it are deallocated, a moment after the call
    // returned (longer since every node holds it): teardown's last look must not find it still there.
    for (let i = 0; i < 60; i++) {
      try {
        await this.docker.getNetwork(id).inspect();
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      await pause(POLL_MS);
    }
  }

  removeVolume(name: string): Promise<void> {
    return this.local.removeVolume(name);
  }

  /**
   * What only each node sees: its volumes and any container of the run left on it. A global one-shot
   * job runs the sweep once on every node, then goes; configs left by an interrupted start go too.
   */
  async removeEverywhere(labels: Labels): Promise<{ volumes: number }> {
    const runId = labels[LABEL.run];
    if (!runId) return { volumes: 0 };
    await this.removeConfigs({ [LABEL.run]: runId });
    const image = this.options.sweepImage;
    if (!image) return { volumes: 0 };
    const created = await this.docker.createService(nodeSweepService(runId, this.pushed.get(image) ?? image) as unknown as Docker.CreateServiceOptions);
    const serviceId = (created as unknown as { id: string }).id;
    try {
      for (let i = 0; i < 120; i++) {
        const tasks = await this.tasks(serviceId);
        if (tasks.length > 0 && tasks.every((t) => ['complete', 'failed', 'rejected', 'shutdown'].includes(t.Status?.State ?? ''))) {
          const failed = tasks.filter((t) => t.Status?.State !== 'complete');
          if (failed.length) throw new EnvironmentError(`the sweep of run ${runId} failed on ${failed.length} node(s): ${failed.map((t) => t.Status?.Err).join('; ')}`);
          return { volumes: 0 };
        }
        await pause(POLL_MS);
      }
      throw new EnvironmentError(`the sweep of run ${runId} did not finish on every node within 60 s`);
    } finally {
      await this.docker.getService(serviceId).remove().catch(() => undefined);
    }
  }
}
