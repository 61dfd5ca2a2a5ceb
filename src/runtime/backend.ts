// The seam between the orchestrator and whatever runs a run's services: the verbs every backend
// answers, in terms of services, jobs and the run's networks, never of one engine's objects.
// docs/backends.md maps each verb to Docker, Swarm and Kubernetes objects. What a backend cannot do
// the way the orchestrator would like it declares in `limits`, so the orchestrator falls back and
// says so instead of failing on an engine error. Implementations: runtime/docker, runtime/swarm.
import type { Readable } from 'node:stream';
import type {
  BackendLimits,
  BuildSpec,
  ContainerSpec,
  ContainerState,
  ExecSession,
  ExecSpec,
  HeldStdin,
  ImageIdentity,
  Labels,
  ListedResources,
  LogOptions,
  NetworkSpec,
  ResourceSummary,
  ResourceUsage,
  VolumeOptions,
} from './runtime.js';

export type {
  BackendLimits,
  BuildSpec,
  ContainerHealthcheck,
  ExecSession,
  ExecSpec,
  HealthStatus,
  HealthcheckSpec,
  ImageIdentity,
  Labels,
  ListedResources,
  LogOptions,
  MountSpec,
  NetworkAttachment,
  NetworkSpec,
  Placement,
  PortBinding,
  ResourceLimits,
  ResourceSummary,
  ResourceUsage,
  VolumeOptions,
} from './runtime.js';

export const BACKENDS = ['docker', 'swarm'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function parseBackendName(value: string | undefined, from: string): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${from} must be one of ${BACKENDS.join(', ')}, not "${value}"`);
}

/**
 * One service (or one replica of it) as compose describes it: command, environment, mounts, limits,
 * health test, placement. The namespace-sharing keys (`networkMode`/`ipcMode`/`pidMode` naming
 * another service's id, `volumesFrom`) are honoured only where `limits.shareNetworkNamespace` holds;
 * a backend that cannot leaves them out and says so.
 */
export type ServiceTemplate = Omit<ContainerSpec, 'engineSocket' | 'stdinOnce' | 'autoRemove'>;

/** Where a service (or job) stands: all its replicas folded into one state, and the nodes they run on. */
export type ServiceState = ContainerState;

/** A change to one of the run's services or jobs; the state is read with `serviceState`. */
export interface RunChange {
  id: string;
  /** `start`, `die`, `health_status: healthy`, `oom`, `update` ... : a hint, never the state itself. */
  action: string;
  labels: Labels;
}

/** A file put in place before a service's or job's first instruction runs (or while a job runs). */
export interface FileCopy {
  /** Absolute path inside the service or job. */
  path: string;
  content: string | Buffer;
  /** Default 0644, owned by root. */
  mode?: number;
  uid?: number;
  gid?: number;
  /**
   * The writable directory that holds it when the root is read-only (a mount of the service);
   * a backend that copies into a created container extracts it there. Default `/`.
   */
  within?: string;
}

/** A one-shot workload of envtest's own (the check runner, the port helper, the reaper, an access helper). */
export interface JobSpec {
  name: string;
  image: string;
  labels: Labels;
  entrypoint?: string[];
  command?: string[];
  env?: Record<string, string>;
  /** The run's networks it joins. */
  networks: string[];
  /** No network at all (without it and without networks: the backend's default network). */
  isolated?: boolean;
  /**
   * The engine host's own network namespace: none is made for the job, which starts about twice as
   * fast. Only for envtest's own code that talks to nothing but the engine's socket (the reaper).
   */
  hostNetwork?: boolean;
  /**
   * Runs inside the network namespace of this service (its id), to see what the service sees on
   * `localhost`. Only where `limits.shareNetworkNamespace`.
   */
  inNetworkOf?: string;
  /**
   * This process holds the job's stdin until `Job.held.close()` (or until this process dies): how the
   * reaper notices a dead orchestrator, how an access helper goes with its command, and how the
   * check runner gets its job the moment the stack is ready.
   */
  holdStdin?: boolean;
  /** A path of the engine's socket on the engine's host (one of `engineSocketPaths()`): only the reaper. */
  engineSocket?: string;
  /** Gone as soon as it exits, even when nobody removes it. */
  removeWhenDone?: boolean;
}

/** A network namespace's socket tables, as /proc/net/{tcp,tcp6,udp,udp6} print them ('' where one is missing). */
export type SocketTables = Partial<Record<'tcp' | 'tcp6' | 'udp' | 'udp6', string>>;

/** A started job. */
export interface Job {
  readonly id: string;
  /** With `holdStdin`: the job's output, what to write to its stdin, and the hold; closing it closes the job's stdin. */
  readonly held?: HeldStdin;
  /** stdout and stderr from the start; `follow` keeps them open until the job exits. */
  output(opts: { follow: boolean }): Promise<{ stdout: Readable; stderr: Readable }>;
  /** The exit code, once it has exited. */
  exited(opts?: { signal?: AbortSignal }): Promise<number>;
  state(): Promise<ServiceState>;
  remove(): Promise<void>;
}

export interface Backend {
  readonly name: BackendName;
  /** Where the backend connects, for messages (`unix:///var/run/docker.sock`). */
  readonly endpoint: string;
  /** What this backend cannot do the way the orchestrator would like. */
  readonly limits: BackendLimits;
  /** Where images built here are pushed for other machines to pull, when the backend needs that. */
  readonly registry?: string;
  /** Throws EngineUnavailableError saying where it looked. */
  ping(): Promise<void>;
  /** Where the engine's socket may be on the engine's host, likeliest first (the reaper's choices). */
  engineSocketPaths(): string[];

  // Images: there when a service starts; built ones reach every machine that runs it.
  imageExists(ref: string): Promise<boolean>;
  inspectImage(ref: string): Promise<ImageIdentity | undefined>;
  pullImage(ref: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Builds, and where `limits.buildsNeedRegistry`, pushes to `registry`. Throws BuildFailedError. */
  buildImage(spec: BuildSpec, opts?: { onLine?: (line: string) => void; signal?: AbortSignal }): Promise<void>;

  // The run's networks and volumes.
  createNetwork(spec: NetworkSpec): Promise<string>;
  createVolume(name: string, labels: Labels, opts?: VolumeOptions): Promise<void>;

  /**
   * Starts a service with its files in place before its first instruction. `onCreated` hears its id
   * as soon as it exists (teardown finds it by label from then on) and is awaited before the start;
   * an abort after that leaves it made but never started. Returns its id.
   */
  startService(template: ServiceTemplate, opts?: { files?: FileCopy[]; signal?: AbortSignal; onCreated?: (id: string) => void | Promise<void> }): Promise<string>;
  /** Running/exited/health per replica folded into one state, with the nodes it runs on. */
  serviceState(id: string, opts?: { signal?: AbortSignal }): Promise<ServiceState>;
  /** Changes to the run's services and jobs, until the signal aborts. */
  watchRun(labels: Labels, signal: AbortSignal): AsyncIterable<RunChange>;

  /** A one-shot job on the run's networks, files in place before it starts. A start that fails leaves nothing. */
  startJob(spec: JobSpec, opts?: { files?: FileCopy[]; signal?: AbortSignal }): Promise<Job>;

  /** A service's (or job's) output; `follow` keeps the streams open until it stops. Destroying either stops following. */
  logs(id: string, opts: LogOptions): Promise<{ stdout: Readable; stderr: Readable }>;
  /** A command run inside a running service (or job). */
  exec(id: string, spec: ExecSpec): Promise<ExecSession>;
  /**
   * A reader of a running service's socket tables straight from the engine host's /proc, where this
   * process shares that host's process table (a local engine): no helper container to start, so a
   * port is seen listening within milliseconds. Undefined where it cannot (a remote engine, a VM).
   * The reader throws once the service's process is gone.
   */
  localSocketTables?(id: string): Promise<(() => Promise<SocketTables>) | undefined>;
  /** CPU and memory of one service or job, where the backend can see it. */
  stats(id: string, opts?: { now?: boolean; signal?: AbortSignal }): Promise<ResourceUsage | undefined>;

  /** Services, jobs, networks and volumes carrying the labels. */
  list(labels: Labels): Promise<ListedResources>;
  /** A service or job (all its replicas), after `graceSeconds` of the stop signal. */
  removeWorkload(id: string, opts?: { graceSeconds?: number }): Promise<void>;
  /**
   * Kills a workload and takes it off the given networks (as `list` gave them), without removing
   * it, so that the networks can go while it is being removed. Optional: where it is missing,
   * teardown removes the networks only once the workloads are gone. An engine refuses to detach
   * what it is removing, so teardown calls this before `removeWorkload`, never beside it.
   */
  cutOff?(id: string, networks: ResourceSummary[]): Promise<void>;
  /** Waits out what the backend still has attached to it. */
  removeNetwork(id: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
  /** After the per-resource removal: what only each machine sees (a swarm node's volumes). */
  removeEverywhere?(labels: Labels): Promise<{ volumes: number }>;
}

