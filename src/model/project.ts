// The normalized compose project: what `envtest config --format json` prints and what the planner
// and orchestrator consume. Its shape follows `docker compose config --format json` so users can
// diff the two. Every value is final: interpolated, `$$` unescaped, paths absolute, short syntax
// expanded.

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface DependsOn {
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  /** A Dockerfile written in the compose file; sent with the context instead of `dockerfile`. */
  dockerfile_inline?: string;
  cache_from?: string[];
  network?: string;
  no_cache?: boolean;
  pull?: boolean;
  shm_size?: string | number;
  /** `host=ip` (canonical form), or `host:ip` as written. */
  extra_hosts?: string[];
  /** More names for the built image. */
  tags?: string[];
  /** At most one entry (the classic builder builds one platform). */
  platforms?: string[];
  [extra: string]: unknown;
}

/** A service's use of a top-level secret or config. */
export interface FileReference {
  source: string;
  /** Where it appears in the container; relative secret targets are under /run/secrets. */
  target?: string;
  uid?: string;
  gid?: string;
  /** File mode as octal text (`0440`) once normalized; 0444 when absent. */
  mode?: string;
}

/** A top-level secret or config: exactly one source of content. */
export interface FileResourceConfig {
  name?: string;
  /** Absolute path of a file on the host. */
  file?: string;
  /** Name of a variable of envtest's environment. */
  environment?: string;
  /** Inline content (configs only). */
  content?: string;
  /** Kept by a Swarm: loads, but a service using it is refused at start, as docker compose does. */
  external?: boolean;
  /** Swarm drivers: the same. */
  driver?: string;
  template_driver?: string;
  [extra: string]: unknown;
}

export interface ResourceValues {
  cpus?: string | number;
  memory?: string | number;
  pids?: number;
}

export interface HealthcheckConfig {
  /** `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`. */
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface PortConfig {
  target: number;
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | string;
  mode?: 'ingress' | 'host' | string;
  name?: string;
  app_protocol?: string;
}

export interface VolumeMount {
  type: 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster' | 'image' | string;
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { create_host_path?: boolean; propagation?: string; selinux?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number | string; mode?: number | string };
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  driver_opts?: Record<string, string | number | boolean | null>;
  priority?: number;
}

/** A `post_start` or `pre_stop` hook: a command run with exec in the service's container. */
export interface ServiceHook {
  command: string[];
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment?: Record<string, string | null>;
}

export interface ServiceConfig {
  image?: string;
  build?: BuildConfig;
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  env_file?: unknown;
  depends_on?: Record<string, DependsOn>;
  healthcheck?: HealthcheckConfig;
  ports?: PortConfig[];
  expose?: string[];
  volumes?: VolumeMount[];
  volumes_from?: string[];
  networks?: Record<string, ServiceNetwork | null>;
  network_mode?: string;
  links?: string[];
  container_name?: string;
  hostname?: string;
  working_dir?: string;
  user?: string;
  labels?: Record<string, string>;
  restart?: string;
  profiles?: string[];
  tty?: boolean;
  stdin_open?: boolean;
  init?: boolean;
  read_only?: boolean;
  privileged?: boolean;
  post_start?: ServiceHook[];
  pre_stop?: ServiceHook[];
  stop_signal?: string;
  stop_grace_period?: string;
  extra_hosts?: string[] | Record<string, string | string[]>;
  cap_add?: string[];
  cap_drop?: string[];
  ulimits?: Record<string, unknown>;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  shm_size?: string | number;
  platform?: string;
  pull_policy?: string;
  domainname?: string;
  security_opt?: string[];
  mem_limit?: string | number;
  mem_reservation?: string | number;
  cpus?: string | number;
  cpu_shares?: number;
  pids_limit?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpuset?: string;
  mem_swappiness?: number;
  /** Bytes as text once normalized; "-1" is unlimited swap. */
  memswap_limit?: string | number;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  /** Long form once normalized. */
  devices?: { source: string; target: string; permissions: string }[];
  device_cgroup_rules?: string[];
  /** `host`, `private`, `shareable`, `container:<name>` or `service:<name>`. */
  ipc?: string;
  pid?: string;
  uts?: string;
  cgroup?: string;
  cgroup_parent?: string;
  mac_address?: string;
  userns_mode?: string;
  storage_opt?: Record<string, string>;
  blkio_config?: {
    weight?: number;
    weight_device?: { path: string; weight?: number }[];
    device_read_bps?: { path: string; rate?: string | number }[];
    device_write_bps?: { path: string; rate?: string | number }[];
    device_read_iops?: { path: string; rate?: string | number }[];
    device_write_iops?: { path: string; rate?: string | number }[];
  };
  runtime?: string;
  dns?: string[];
  dns_search?: string[];
  dns_opt?: string[];
  group_add?: (string | number)[];
  logging?: { driver?: string; options?: Record<string, string | number | boolean | null> };
  secrets?: FileReference[];
  configs?: FileReference[];
  /** How many containers of the service; `deploy.replicas` is the same number (compose-go keeps them equal). */
  scale?: number;
  deploy?: { replicas?: number; resources?: { limits?: ResourceValues; reservations?: Pick<ResourceValues, 'memory'> } } | null;
  [extra: string]: unknown;
}

export interface NetworkConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  enable_ipv6?: boolean;
  ipam?: { driver?: string; config?: { subnet?: string; ip_range?: string; gateway?: string; aux_addresses?: Record<string, string> }[]; options?: Record<string, string> };
  internal?: boolean;
  external?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  [extra: string]: unknown;
}

export interface VolumeConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [extra: string]: unknown;
}

export interface ComposeProject {
  name: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, FileResourceConfig>;
  configs?: Record<string, FileResourceConfig>;
  /** Top-level `x-` extension fields, kept as `docker compose config` keeps them. */
  [extension: `x-${string}`]: unknown;
}

/** A compose project plus where it came from; what the loader hands to everything after it. */
export interface LoadedProject {
  project: ComposeProject;
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute paths of the compose files, in `-f` order. */
  composeFiles: string[];
  /** Every profile the files define, active or not (for `config --profiles`). */
  allProfiles: string[];
  /** Active profiles. */
  profiles: string[];
  /**
   * The variables the project was interpolated with (the process environment over the env files):
   * where `environment:`-sourced secrets and configs are read from, as compose does.
   */
  environment: Record<string, string | undefined>;
  /** Non-fatal problems (e.g. optional dependency missing). */
  warnings: import('../errors.js').Problem[];
  /** The file and line a key path of the merged project came from, for problems found after loading. */
  locate?: (path: readonly (string | number)[]) => { file?: string; line?: number };
}

/** How many containers a service runs: `scale`, else `deploy.replicas`, else one. */
export function replicaCount(s: ServiceConfig): number {
  return s.scale ?? s.deploy?.replicas ?? 1;
}
