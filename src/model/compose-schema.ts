// The compose input envtest supports, as zod schemas: the types of every supported key, after
// interpolation (so numbers and booleans may arrive as strings and are coerced back, as Compose
// does). Objects are loose on purpose: unknown and unsupported keys are reported by the loader's key
// check (src/compose/validate/keys-check.ts), which walks these shapes beside the spec's key tree so each
// refusal says whether the key is a typo or a Compose feature envtest lacks. A key absent from
// these shapes is therefore "not supported".
import { z } from 'zod';
import { durationProblem } from './duration.js';

const numberLike = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
const booleanLike = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  // The YAML 1.1 words compose-go still casts (`init: yes`).
  return ['true', 'yes', 'y', 'on'].includes(t) ? true : ['false', 'no', 'n', 'off'].includes(t) ? false : v;
};

const str = z.string();
const num = z.preprocess(numberLike, z.number());
const int = z.preprocess(numberLike, z.number().int());
const bool = z.preprocess(booleanLike, z.boolean());
const strOrNum = z.union([z.string(), z.number()]);
const strings = z.array(z.string());
const stringOrList = z.union([z.string(), strings]);
const scalarOrNull = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** `KEY=VAL` list or mapping, as environment, labels, build args and sysctls allow. */
const listOrDict = z.union([z.array(z.union([z.string(), z.number()])), z.record(z.string(), scalarOrNull)]);
/** Go duration text (`1m30s`) or a number of seconds; kept as written, checked by the one duration parser. */
const duration = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  const problem = durationProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** `64m`, `1.5g`, `512k`, `100b`, `2gb` or a number of bytes. */
const byteSize = z.union([
  z.string().regex(/^\s*\d+(\.\d+)?\s*([bkmg]b?)?\s*$/i, { error: 'expected a byte size such as "64m", "1g" or a number of bytes' }),
  z.number().min(0, { error: 'expected a byte size of 0 or more' }),
]);
/** A number of CPUs: `0.5`, `2`. */
const cpuCount = z.union([z.string().regex(/^\s*\d+(\.\d+)?\s*$/, { error: 'expected a number of CPUs such as 0.5 or 2' }), z.number()]);

export const serviceNameSchema = z.string().regex(/^[a-zA-Z0-9._-]+$/, { error: 'service names may contain only letters, digits, ".", "_" and "-"' });

const buildSchema = z.union([
  z.string(),
  z.looseObject({
    context: str.optional(),
    dockerfile: str.optional(),
    dockerfile_inline: str.optional(),
    args: listOrDict.optional(),
    target: str.optional(),
    labels: listOrDict.optional(),
    cache_from: strings.optional(),
    network: str.optional(),
    no_cache: bool.optional(),
    pull: bool.optional(),
    shm_size: byteSize.optional(),
    extra_hosts: z.union([strings, z.record(z.string(), stringOrList)]).optional(),
    tags: strings.optional(),
    platforms: strings.optional(),
  }),
]);

const dependsOnSchema = z.union([
  z.array(z.string()),
  z.record(
    z.string(),
    z.looseObject({
      condition: z
        .enum(['service_started', 'service_healthy', 'service_completed_successfully'], {
          error: 'expected "service_started", "service_healthy" or "service_completed_successfully"',
        })
        .optional(),
      required: bool.optional(),
      restart: bool.optional(),
    }),
  ),
]);

const healthcheckSchema = z.looseObject({
  test: stringOrList.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  retries: int.optional(),
  start_period: duration.optional(),
  start_interval: duration.optional(),
  disable: bool.optional(),
});

const portSchema = z.union([
  z.number(),
  z.string(),
  z.looseObject({
    name: str.optional(),
    mode: z.enum(['ingress', 'host'], { error: 'expected "ingress" or "host"' }).optional(),
    host_ip: str.optional(),
    target: int,
    published: strOrNum.optional(),
    protocol: z.enum(['tcp', 'udp', 'sctp'], { error: 'expected "tcp", "udp" or "sctp"' }).optional(),
    app_protocol: str.optional(),
  }),
]);

const volumeMountSchema = z.union([
  z.string(),
  z.looseObject({
    type: z.enum(['volume', 'bind', 'tmpfs'], { error: 'expected "volume", "bind" or "tmpfs" (npipe, cluster and image mounts are not supported yet)' }),
    source: str.optional(),
    target: str,
    read_only: bool.optional(),
    consistency: str.optional(),
    bind: z.looseObject({ propagation: str.optional(), create_host_path: bool.optional(), selinux: z.enum(['z', 'Z']).optional() }).optional(),
    volume: z.looseObject({ nocopy: bool.optional() }).optional(),
    tmpfs: z.looseObject({ size: z.union([byteSize.options[0], z.number().int({ error: 'expected a whole number of bytes' }).min(0, { error: 'expected a byte size of 0 or more' })]).optional(), mode: num.optional() }).optional(),
  }),
]);

const serviceNetworksSchema = z.union([
  strings,
  z.record(
    z.string(),
    z
      .looseObject({
        aliases: strings.optional(),
        priority: num.optional(),
        /** Only on networks with an `ipam` subnet of the run's own (compose/validate/supported-values.ts). */
        ipv4_address: str.optional(),
        ipv6_address: str.optional(),
        link_local_ips: strings.optional(),
        driver_opts: z.record(z.string(), scalarOrNull).optional(),
      })
      .nullable(),
  ),
]);

/** Octal text (`"0440"`) or a number (YAML `0440` already reads as octal, see compose/load/yaml-source.ts). */
const fileMode = z.union([
  z.string().regex(/^(0o?)?[0-7]{1,4}$/, { error: 'expected an octal file mode such as "0440"' }),
  z.number().int().min(0).max(0o7777),
]);
const numericId = z.string().regex(/^\d+$/, { error: 'expected a numeric user or group id such as "1000"' });

const fileReferenceSchema = z.array(
  z.union([
    z.string(),
    z.looseObject({ source: str, target: str.optional(), uid: numericId.optional(), gid: numericId.optional(), mode: fileMode.optional() }),
  ]),
);

const envFileSchema = z.union([
  z.string(),
  z.array(
    z.union([
      z.string(),
      z.looseObject({ path: str, required: bool.optional(), format: z.enum(['raw'], { error: 'expected "raw" (or no format, for .env syntax)' }).optional() }),
    ]),
  ),
]);

/** `host:container[:permissions]` or the long form. */
const deviceSchema = z.union([z.string(), z.looseObject({ source: str, target: str.optional(), permissions: str.optional() })]);
/** `host`, `private`, `shareable`, `container:<name>` or `service:<name>` (ipc, pid); uts only `host`. */
const namespaceMode = str;
/** scale and deploy.replicas: how many containers of the service (compose-go: 0 or more). */
const replicaCount = int.refine((n) => n >= 0, { error: 'must be greater than or equal to 0' });
/** Swarm-only deploy keys: accepted and ignored with a warning (compose/validate/supported-values.ts), as docker compose does. */
const swarmOnly = z.unknown().optional();
const blkioDevice = z.array(z.looseObject({ path: str, rate: z.union([int, byteSize]).optional(), weight: int.optional() }));

const commandSchema = z.union([z.string(), strings, z.null()]);
const hookSchema = z.looseObject({ command: z.union([z.string(), strings]), user: str.optional(), privileged: bool.optional(), working_dir: str.optional(), environment: listOrDict.optional() });

export const serviceSchema = z.looseObject({
  image: str.optional(),
  build: buildSchema.optional(),
  command: commandSchema.optional(),
  entrypoint: commandSchema.optional(),
  environment: listOrDict.optional(),
  env_file: envFileSchema.optional(),
  depends_on: dependsOnSchema.optional(),
  healthcheck: healthcheckSchema.optional(),
  ports: z.array(portSchema).optional(),
  expose: z.array(strOrNum).optional(),
  volumes: z.array(volumeMountSchema).optional(),
  volumes_from: strings.optional(),
  networks: serviceNetworksSchema.optional(),
  network_mode: str.optional(),
  links: strings.optional(),
  container_name: str.optional(),
  hostname: str.optional(),
  domainname: str.optional(),
  working_dir: str.optional(),
  user: str.optional(),
  labels: listOrDict.optional(),
  restart: z
    .string()
    .regex(/^(no|always|unless-stopped|on-failure(:\d+)?)$/, { error: 'expected "no", "always", "on-failure[:max-retries]" or "unless-stopped"' })
    .optional(),
  profiles: strings.optional(),
  tty: bool.optional(),
  stdin_open: bool.optional(),
  init: bool.optional(),
  read_only: bool.optional(),
  privileged: bool.optional(),
  stop_signal: str.optional(),
  stop_grace_period: duration.optional(),
  extra_hosts: z.union([strings, z.record(z.string(), stringOrList)]).optional(),
  cap_add: strings.optional(),
  cap_drop: strings.optional(),
  security_opt: strings.optional(),
  ulimits: z.record(z.string(), z.union([int, z.looseObject({ soft: int, hard: int })])).optional(),
  sysctls: listOrDict.optional(),
  tmpfs: stringOrList.optional(),
  shm_size: byteSize.optional(),
  mem_limit: byteSize.optional(),
  mem_reservation: byteSize.optional(),
  cpus: cpuCount.optional(),
  cpu_shares: int.optional(),
  pids_limit: int.optional(),
  cpu_period: int.optional(),
  cpu_quota: int.optional(),
  cpu_rt_period: int.optional(),
  cpu_rt_runtime: int.optional(),
  cpuset: str.optional(),
  mem_swappiness: int.optional(),
  /** -1 is unlimited swap. */
  memswap_limit: z.union([byteSize, z.literal(-1), z.literal('-1')]).optional(),
  oom_kill_disable: bool.optional(),
  oom_score_adj: int.optional(),
  devices: z.array(deviceSchema).optional(),
  device_cgroup_rules: strings.optional(),
  ipc: namespaceMode.optional(),
  pid: namespaceMode.optional(),
  uts: z.enum(['host'], { error: 'expected "host" (the only UTS mode the engine has besides its default)' }).optional(),
  cgroup: z.enum(['host', 'private'], { error: 'expected "host" or "private"' }).optional(),
  cgroup_parent: str.optional(),
  mac_address: str.optional(),
  userns_mode: str.optional(),
  storage_opt: z.record(z.string(), scalarOrNull).optional(),
  blkio_config: z
    .looseObject({
      weight: int.optional(),
      weight_device: blkioDevice.optional(),
      device_read_bps: blkioDevice.optional(),
      device_write_bps: blkioDevice.optional(),
      device_read_iops: blkioDevice.optional(),
      device_write_iops: blkioDevice.optional(),
    })
    .optional(),
  label_file: stringOrList.optional(),
  scale: replicaCount.optional(),
  /** `docker compose watch` only: checked and printed, ignored by a run (a warning says so), as `docker compose up` ignores it. */
  develop: z
    .looseObject({
      watch: z
        .array(
          z.looseObject({
            path: z.string().min(1, { error: "can't be blank" }),
            action: z.enum(['rebuild', 'restart', 'sync', 'sync+restart', 'sync+exec'], { error: 'expected "rebuild", "restart", "sync", "sync+restart" or "sync+exec"' }),
            target: str.optional(),
            ignore: strings.optional(),
            include: strings.optional(),
            initial_sync: bool.optional(),
            exec: z.looseObject({ command: commandSchema, user: str.optional(), privileged: bool.optional(), working_dir: str.optional(), environment: listOrDict.optional() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  /** Which services `docker compose up` attaches its log output to; envtest collects every service's logs. */
  attach: bool.optional(),
  /** Lifecycle hooks: run with exec in the service's container (orchestrator/lifecycle/lifecycle-hooks.ts). */
  post_start: z.array(hookSchema).optional(),
  pre_stop: z.array(hookSchema).optional(),
  platform: str.optional(),
  pull_policy: z
    .enum(['always', 'never', 'missing', 'if_not_present', 'build'], {
      error: 'expected "always", "never", "missing" or "build" (the periodic policies daily, weekly, refresh and every_<duration> are not supported yet: envtest does not record when an image was pulled)',
    })
    .optional(),
  runtime: str.optional(),
  dns: stringOrList.optional(),
  dns_search: stringOrList.optional(),
  dns_opt: strings.optional(),
  group_add: z.array(strOrNum).optional(),
  logging: z.looseObject({ driver: str.optional(), options: z.record(z.string(), scalarOrNull).optional() }).optional(),
  secrets: fileReferenceSchema.optional(),
  configs: fileReferenceSchema.optional(),
  deploy: z
    .looseObject({
      resources: z
        .looseObject({
          limits: z.looseObject({ cpus: cpuCount.optional(), memory: byteSize.optional(), pids: int.optional() }).optional(),
          // cpus is a Swarm reservation: accepted and ignored with a warning, as docker compose does.
          reservations: z.looseObject({ memory: byteSize.optional(), cpus: cpuCount.optional(), generic_resources: swarmOnly }).optional(),
        })
        .optional(),
      replicas: replicaCount.optional(),
      mode: swarmOnly,
      placement: swarmOnly,
      update_config: swarmOnly,
      rollback_config: swarmOnly,
      endpoint_mode: swarmOnly,
      restart_policy: swarmOnly,
      labels: swarmOnly,
    })
    .nullable()
    .optional(),
  // Resolved (and removed) by the loader before normalization.
  extends: z.union([z.string(), z.looseObject({ service: str, file: str.optional() })]).optional(),
});

const externalSchema = z.union([bool, z.looseObject({ name: str.optional() })]);

export const networkSchema = z
  .looseObject({
    name: str.optional(),
    /** Passed to the engine, which refuses a driver it does not have. */
    driver: str.optional(),
    driver_opts: z.record(z.string(), scalarOrNull).optional(),
    ipam: z
      .looseObject({
        driver: str.optional(),
        config: z.array(z.looseObject({ subnet: str.optional(), ip_range: str.optional(), gateway: str.optional(), aux_addresses: z.record(z.string(), str).optional() })).optional(),
        options: z.record(z.string(), str).optional(),
      })
      .optional(),
    enable_ipv6: bool.optional(),
    external: externalSchema.optional(),
    internal: bool.optional(),
    attachable: bool.optional(),
    labels: listOrDict.optional(),
  })
  .nullable();

export const volumeSchema = z
  .looseObject({
    name: str.optional(),
    /** Passed to the engine, which refuses a driver it does not have. */
    driver: str.optional(),
    driver_opts: z.record(z.string(), scalarOrNull).optional(),
    external: externalSchema.optional(),
    labels: listOrDict.optional(),
  })
  .nullable();

// Secrets and configs are copied into the container from a file, a variable or inline content.
// `external` ones (kept by a Swarm) and Swarm drivers load, as in `docker compose config`; a
// service that uses one is refused at start, as `docker compose up` refuses it (orchestrator/spec/service-files.ts).
const fileObjectSchema = z.looseObject({
  name: str.optional(),
  file: str.optional(),
  environment: str.optional(),
  external: externalSchema.optional(),
  driver: str.optional(),
  driver_opts: z.record(z.string(), scalarOrNull).optional(),
  template_driver: str.optional(),
  /** Swarm metadata: accepted and ignored, as docker compose does outside a Swarm. */
  labels: listOrDict.optional(),
});

const includeSchema = z.array(
  z.union([
    z.string(),
    z.looseObject({ path: stringOrList, env_file: stringOrList.optional(), project_directory: str.optional() }),
  ]),
);

/** One compose file as written (after interpolation). Cross-file rules (image or build, ...) are checked after merging. */
export const composeFileSchema = z.looseObject({
  version: strOrNum.optional(),
  /** Lowercased and stripped to [a-z0-9_-] as compose-go does (compose/load/project-options.ts). */
  name: z.string().optional(),
  include: includeSchema.optional(),
  services: z.record(serviceNameSchema, serviceSchema).nullable().optional(),
  networks: z.record(z.string(), networkSchema).nullable().optional(),
  volumes: z.record(z.string(), volumeSchema).nullable().optional(),
  secrets: z.record(z.string(), fileObjectSchema).nullable().optional(),
  configs: z.record(z.string(), fileObjectSchema.extend({ content: str.optional() })).nullable().optional(),
});

export type ComposeFileInput = z.infer<typeof composeFileSchema>;
export type ServiceInput = z.infer<typeof serviceSchema>;
