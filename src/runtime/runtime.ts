// The Docker-shaped engine API: create then start, copy into a stopped container, `container:`
// network modes, Docker's events and health. The Docker backend (docker/docker-backend.ts) answers
// backend.ts's verbs on top of it, and the Swarm backend runs its manager-local jobs through it; the
// orchestrator never sees it (.dependency-cruiser.cjs). Its engine-neutral types are re-exported by
// backend.ts. Nothing outside runtime/docker and runtime/swarm imports dockerode.
import type { Readable } from 'node:stream';

export type Labels = Record<string, string>;

export interface HealthcheckSpec {
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
  startIntervalMs?: number;
}

/** The check a container runs, as inspected: `shell` is what runs a `CMD-SHELL` test (the image's SHELL). */
export interface ContainerHealthcheck extends HealthcheckSpec {
  shell?: string[];
}

export interface MountSpec {
  type: 'volume' | 'bind' | 'tmpfs';
  /** Volume name or absolute host path; empty for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  readOnly?: boolean;
  consistency?: string;
  /** A bind whose host path is created when missing (short syntax), or relabelled for SELinux. */
  bind?: { propagation?: string; createHostPath?: boolean; selinux?: 'z' | 'Z' };
  /** `labels`: of the anonymous volume the engine makes for a mount without a source. */
  volume?: { noCopy?: boolean; labels?: Record<string, string> };
  tmpfs?: { sizeBytes?: number; mode?: number };
}

/** Cgroup limits of one container; absent fields are left to the engine's defaults. */
export interface ResourceLimits {
  memoryBytes?: number;
  memoryReservationBytes?: number;
  /** CPUs in billionths: 0.5 CPU is 500_000_000. */
  nanoCpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuRealtimePeriod?: number;
  cpuRealtimeRuntime?: number;
  /** CPUs the container may run on: `0-3`, `0,1`. */
  cpusetCpus?: string;
  memorySwappiness?: number;
  /** Memory plus swap; -1 is unlimited swap. */
  memorySwapBytes?: number;
  oomKillDisable?: boolean;
  blkioWeight?: number;
  blkioWeightDevice?: { path: string; weight: number }[];
  blkioDeviceReadBps?: { path: string; rate: number }[];
  blkioDeviceWriteBps?: { path: string; rate: number }[];
  blkioDeviceReadIOps?: { path: string; rate: number }[];
  blkioDeviceWriteIOps?: { path: string; rate: number }[];
}

export interface PortBinding {
  containerPort: number;
  protocol: string;
  hostIp?: string;
  /** Empty: let the engine pick a free host port. */
  hostPort?: string;
}

export interface NetworkAttachment {
  network: string;
  aliases: string[];
  /** Fixed addresses, from the network's own subnet. */
  ipv4Address?: string;
  ipv6Address?: string;
  linkLocalIps?: string[];
  driverOpts?: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Labels;
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  hostname?: string;
  domainname?: string;
  /** `os/arch[/variant]` of the image to run. */
  platform?: string;
  workingDir?: string;
  user?: string;
  /** The first attachment is made at create time, the rest are connected before start. */
  networks: NetworkAttachment[];
  /** `none`, or `container:<id>` for a service sharing another's network namespace. */
  networkMode?: string;
  /** `host`, `private`, `shareable` or `container:<id>`. */
  ipcMode?: string;
  /** `host` or `container:<id>`. */
  pidMode?: string;
  utsMode?: string;
  /** `host` or `private`. */
  cgroupnsMode?: string;
  cgroupParent?: string;
  macAddress?: string;
  usernsMode?: string;
  oomScoreAdj?: number;
  storageOpt?: Record<string, string>;
  devices?: { pathOnHost: string; pathInContainer: string; cgroupPermissions: string }[];
  deviceCgroupRules?: string[];
  healthcheck?: HealthcheckSpec | 'disabled';
  exposedPorts?: { port: number; protocol: string }[];
  publish?: PortBinding[];
  mounts?: MountSpec[];
  volumesFrom?: string[];
  tmpfs?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  init?: boolean;
  readOnly?: boolean;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  extraHosts?: string[];
  stopSignal?: string;
  /** Seconds between the stop signal and SIGKILL. */
  stopTimeoutSeconds?: number;
  shmSize?: number;
  resources?: ResourceLimits;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  securityOpt?: string[];
  groupAdd?: string[];
  logging?: { driver: string; options: Record<string, string> };
  /** OCI runtime (`runc`, ...). */
  runtime?: string;
  /** `<container name>:<alias>`: from this container, the alias resolves to that container. */
  links?: string[];
  sysctls?: Record<string, string>;
  ulimits?: { name: string; soft: number; hard: number }[];
  /** Only `no` is honoured by default: envtest wants a crash to be seen, not hidden by a restart. */
  restart?: string;
  /**
   * A path on the engine's host (one of ContainerRuntime.engineSocketPaths()) mounted read-write at
   * /var/run/docker.sock; a path that does not exist fails the create. Only the reaper may ask for it.
   */
  engineSocket?: string;
  /** Where and how many: honoured by backends that schedule over several machines, ignored by one engine. */
  placement?: Placement;
  /** Stdin closes when the one attached client goes away: how the reaper notices a dead orchestrator. */
  stdinOnce?: boolean;
  /** The engine removes the container as soon as it exits: helpers leave nothing even when nobody removes them. */
  autoRemove?: boolean;
}

/** The compose `deploy:` keys a scheduler over several machines honours. */
export interface Placement {
  /** Tasks of this one spec (default 1); compose replicas are separate specs, one per replica. */
  replicas?: number;
  placement?: { constraints?: string[]; preferences?: { spread?: string }[]; max_replicas_per_node?: number };
  endpoint_mode?: 'vip' | 'dnsrr';
  /** Bytes / nano CPUs, as ContainerSpec.resources has them. */
  reservations?: { memoryBytes?: number; nanoCpus?: number };
}

export interface BackendLimits {
  /**
   * A helper can join a service's network namespace (`container:<id>`) to read its listening ports.
   * False where a service's replicas run on other machines than the helper.
   */
  shareNetworkNamespace: boolean;
  /** Images built here must be pushed to a registry the nodes pull from. */
  buildsNeedRegistry: boolean;
  /** Services' replicas run on several machines: the report names each service's nodes. */
  spreadsOverNodes: boolean;
  /** What of a service's spec this backend runs without, by compose key (the orchestrator warns once per service and key). */
  leftOut?: (spec: ContainerSpec) => string[];
}

export interface ImageIdentity {
  id: string;
  repoDigests: string[];
  /** The image's own labels (its config's). */
  labels: Labels;
}

/** A command run inside a running container, as `docker exec` runs it. */
export interface ExecSpec {
  command: string[];
  env?: Record<string, string>;
  user?: string;
  workingDir?: string;
  /** Extended privileges for this command only (compose's lifecycle hooks ask for it). */
  privileged?: boolean;
  /** A pseudo-terminal: stdout and stderr arrive merged on `stdout`, raw. */
  tty?: boolean;
}

export interface ExecSession {
  /** The command's stdin; ending it closes the command's stdin. */
  stdin: NodeJS.WritableStream;
  stdout: Readable;
  /** Empty with a TTY. */
  stderr: Readable;
  /** The command's exit code, once its output has ended. */
  exitCode: Promise<number>;
  /** Terminal size, with a TTY. */
  resize(columns: number, rows: number): Promise<void>;
  /** Drops the connection: the command sees its stdin close (it is not killed). */
  close(): void;
}

export interface LogOptions {
  follow: boolean;
  tail?: number;
  /** Only lines since this time (milliseconds since the epoch). */
  sinceMs?: number;
  /** Each line starts with the engine's RFC3339 timestamp. */
  timestamps?: boolean;
  /**
   * Whether the container has a TTY, where the caller made it and knows: the engine is then not
   * asked first (a round trip), and a container already gone ends the streams instead of throwing.
   */
  tty?: boolean;
}

export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy';

export interface ContainerState {
  id: string;
  name: string;
  status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  exitCode: number;
  restartCount: number;
  health: HealthStatus;
  /** Output of the most recent health probe, trimmed. */
  lastHealthOutput?: string;
  /**
   * The health check the engine runs (the image's included), where the runtime can tell and the
   * orchestrator can run it too (`exec`); absent otherwise.
   */
  healthcheck?: ContainerHealthcheck;
  startedAt?: string;
  publishedPorts: { containerPort: number; protocol: string; hostIp: string; hostPort: string }[];
  /** Exposed ports of the container's config: the image's EXPOSE merged with the create call's. */
  exposedPorts?: { port: number; protocol: string }[];
  /** The container's addresses on each network it is attached to. */
  networkAddresses?: { network: string; ipv4?: string; ipv6?: string }[];
  /** The machines its replicas run on, where a backend spreads them (swarm node hostnames). */
  nodes?: string[];
}

export interface ResourceSummary {
  id: string;
  name: string;
  labels: Labels;
  createdAt?: Date;
  /** Containers only. */
  state?: string;
}

export interface ListedResources {
  containers: ResourceSummary[];
  networks: ResourceSummary[];
  volumes: ResourceSummary[];
}

export interface ContainerEvent {
  containerId: string;
  /** `start`, `die`, `health_status: healthy`, `oom`, ... as the engine names them. */
  action: string;
  labels: Labels;
}

export interface ResourceUsage {
  at: number;
  /** Absent in a sample taken at once (`stats(id, { now: true })`): measuring CPU takes the engine a second. */
  cpuPercent?: number;
  memoryBytes: number;
}

export interface BuildSpec {
  context: string;
  dockerfile?: string;
  tag: string;
  args?: Record<string, string>;
  target?: string;
  labels?: Labels;
  /** Dockerfile text sent with the context instead of reading `dockerfile` from it. */
  dockerfileInline?: string;
  noCache?: boolean;
  /** Always pull the base images. */
  pull?: boolean;
  /** Network of the RUN steps. */
  network?: string;
  shmSize?: number;
  /** `host:ip` entries for /etc/hosts of the RUN steps. */
  extraHosts?: string[];
  cacheFrom?: string[];
  /** More names the built image gets besides `tag`. */
  extraTags?: string[];
  platform?: string;
}

export interface NetworkSpec {
  name: string;
  labels: Labels;
  internal: boolean;
  /** The engine's default (bridge) when absent. */
  driver?: string;
  options?: Record<string, string>;
  enableIPv6?: boolean;
  ipam?: { driver?: string; config?: { subnet?: string; ipRange?: string; gateway?: string; auxAddresses?: Record<string, string> }[]; options?: Record<string, string> };
}

export interface VolumeOptions {
  driver?: string;
  driverOpts?: Record<string, string>;
}

/** A job's stdin, held open by this process: the job's output, what to write to it, and letting go (its end). */
export interface HeldStdin {
  output: Readable;
  send(text: string): void;
  close(): void;
}

export interface ContainerRuntime {
  /** Throws EngineUnavailableError saying where it looked. */
  ping(): Promise<void>;
  /** Where the runtime connects, for messages (`unix:///var/run/docker.sock`). */
  readonly endpoint: string;
  /**
   * Where this engine's socket may be on the engine's host, likeliest first: a container mounting
   * one must check that it reaches this very engine (on a remote engine these are guesses).
   */
  engineSocketPaths(): string[];

  imageExists(ref: string): Promise<boolean>;
  /** The local image's id and repo digests (empty for one built here); undefined when absent. */
  inspectImage(ref: string): Promise<ImageIdentity | undefined>;
  /** Aborting the signal drops the request, which the engine takes as a cancel. */
  pullImage(ref: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Throws BuildFailedError with the engine's reason; aborting the signal cancels the build on the engine. */
  buildImage(spec: BuildSpec, opts?: { onLine?: (line: string) => void; signal?: AbortSignal }): Promise<void>;

  createNetwork(spec: NetworkSpec): Promise<string>;
  createVolume(name: string, labels: Labels, opts?: VolumeOptions): Promise<void>;
  /**
   * Takes no signal on purpose: a create the engine received may still land after the request is
   * dropped, too late for a teardown that already looked. Creates are awaited, then torn down.
   */
  createContainer(spec: ContainerSpec): Promise<string>;
  /** Aborting the signal drops the request and rejects at once (as for the calls below). */
  startContainer(id: string, opts?: { signal?: AbortSignal }): Promise<void>;
  inspectContainer(id: string, opts?: { signal?: AbortSignal }): Promise<ContainerState>;
  /** Copies a tar archive into the container; works before start and on remote engines. */
  putArchive(id: string, dir: string, tar: Buffer, opts?: { signal?: AbortSignal }): Promise<void>;
  /**
   * stdout and stderr, demultiplexed; `follow` keeps the streams open until the container stops.
   * Destroying either stream stops following.
   */
  logs(id: string, opts: LogOptions): Promise<{ stdout: Readable; stderr: Readable }>;
  /** Runs a command in a running container with its stdin attached; see ExecSession. */
  exec(id: string, spec: ExecSpec): Promise<ExecSession>;
  waitForExit(id: string, opts?: { signal?: AbortSignal }): Promise<number>;
  /**
   * Holds the container's stdin open until `close()` (or until this process dies, which the engine
   * sees as the connection dropping). Output lines arrive on `output`. The signal only cuts short
   * the connecting: once attached, only `close()` ends it.
   */
  attachStdin(id: string, opts?: { signal?: AbortSignal }): Promise<HeldStdin>;
  /** `now`: memory at once, without the second the engine takes to measure CPU. Aborting drops the request (undefined). */
  stats(id: string, opts?: { now?: boolean; signal?: AbortSignal }): Promise<ResourceUsage | undefined>;
  /** Container events for one run, until the signal aborts. */
  events(labels: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent>;

  list(labels: Labels): Promise<ListedResources>;
  removeContainer(id: string, opts?: { graceSeconds?: number }): Promise<void>;
  /**
   * Kills the container and, without waiting for its exit, takes it off those of `networks` (as
   * `list` gave them) it is attached to; resolves when both are done. One that is gone or no
   * longer running is no error.
   */
  cutOffContainer(id: string, networks: ResourceSummary[]): Promise<void>;
  /** Disconnects any container still attached (even one envtest did not make), then removes. */
  removeNetwork(id: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
  /** Where images built here are pushed for other machines to pull, when the backend needs that. */
  readonly registry?: string;
  /** What Docker cannot do here the Docker way (absent: none). */
  readonly limits?: BackendLimits;
  /** After the per-resource removal: what only each machine sees (a swarm node's volumes). */
  removeEverywhere?(labels: Labels): Promise<{ volumes: number }>;
}
