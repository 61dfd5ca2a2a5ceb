// A check suite after loading: interpolated, validated, defaults applied, durations in ms.
// This is exactly what the host serializes into the runner job and what the sidecar executes,
// so it is plain JSON data (no classes, no RegExp objects: patterns stay strings).

export const PROTOCOLS = ['tcp', 'http', 'grpc', 'postgres', 'mysql', 'redis', 'amqp', 'nats', 'mqtt'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

export interface RetryPolicy {
  /** Keep starting attempts until this much time has passed since the first one. 0 = one attempt. */
  forMs: number;
  /** Pause between attempts. */
  everyMs: number;
}

export interface LatencyBounds {
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/** A string expectation on a header value: exact text, or a regex. */
export type TextMatch = string | { matches: string };

export type BodyExpect = { contains: string } | { equals: string } | { matches: string };

export interface TcpOptions {
  /** Written after connecting. */
  send?: string;
}
export interface TcpExpect {
  /** The bytes read back (as UTF-8) must contain this. */
  receive?: string;
}

export interface HttpOptions {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  tls: boolean;
  /** With tls: verify the server certificate. Off by default: test stacks use self-signed certs. */
  verify: boolean;
  /** Send a W3C `traceparent` header with the transaction's trace id (unless headers already carry one). */
  traceparent: boolean;
}
export interface HttpExpect {
  /** Acceptable status codes. Absent = any 2xx or 3xx. */
  status?: number[];
  /** Keys are lower-cased header names. */
  headers?: Record<string, TextMatch>;
  body?: BodyExpect;
  /** Subset match against the parsed JSON body. */
  json?: unknown;
}

export const GRPC_SERVING_STATUSES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
export type GrpcServingStatus = (typeof GRPC_SERVING_STATUSES)[number];
export interface GrpcOptions {
  /** grpc.health.v1 service name; '' asks about the server as a whole. */
  health: { service: string };
  tls: boolean;
  verify: boolean;
}
export interface GrpcExpect {
  status: GrpcServingStatus;
}

export interface SqlOptions {
  user: string;
  password?: string;
  database?: string;
  query: string;
}
export interface SqlExpect {
  /** Subset match per row, in order; the result may have more rows. */
  rows?: Record<string, unknown>[];
  rowCount?: number;
}

export interface RedisOptions {
  command: string[];
  user?: string;
  password?: string;
  db: number;
}
export interface RedisExpect {
  reply?: unknown;
}

export interface AmqpOptions {
  user: string;
  password: string;
  vhost: string;
  /** Absent = a private, auto-deleted queue per attempt, so nothing is left behind. */
  queue?: string;
  /** Absent = a unique payload per attempt. */
  payload?: string;
}
export interface NatsOptions {
  /** Absent = a unique subject per attempt. */
  subject?: string;
  user?: string;
  password?: string;
  token?: string;
  payload?: string;
}
export interface MqttOptions {
  /** Absent = a unique topic per attempt. */
  topic?: string;
  user?: string;
  password?: string;
  payload?: string;
}
/** The round-trip protocols only assert that the published message came back. */
export type RoundTripExpect = Record<string, never>;

interface ProtocolSpec {
  tcp: [TcpOptions, TcpExpect];
  http: [HttpOptions, HttpExpect];
  grpc: [GrpcOptions, GrpcExpect];
  postgres: [SqlOptions, SqlExpect];
  mysql: [SqlOptions, SqlExpect];
  redis: [RedisOptions, RedisExpect];
  amqp: [AmqpOptions, RoundTripExpect];
  nats: [NatsOptions, RoundTripExpect];
  mqtt: [MqttOptions, RoundTripExpect];
}

/** What a check's snapshot records and leaves out (see docs/suites.md#snapshots). */
export interface SnapshotSettings {
  /** Record values too, not only structure and types. */
  values: boolean;
  /** Paths left out of the shape, e.g. `$.items[*].updatedAt`. */
  ignore: string[];
}

/** Protocols with an answer worth a snapshot: tcp only connects, so it has no shape. */
export const SNAPSHOT_PROTOCOLS: readonly ProtocolName[] = PROTOCOLS.filter((p) => p !== 'tcp');

interface CheckCommon {
  name: string;
  /** As written: `service:port`. */
  target: string;
  host: string;
  port: number;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Extra requests after the first pass, to measure latency. 0 = none. */
  samples: number;
  latency?: LatencyBounds;
  /** Set when the check's answer is compared with (or recorded into) its snapshot. */
  snapshot?: SnapshotSettings;
}

/**
 * `open: false` makes a check negative: it passes when the port cannot be reached and no other
 * expectation applies (the loader rejects combinations).
 */
export type CheckOf<P extends ProtocolName> = CheckCommon & {
  protocol: P;
  options: ProtocolSpec[P][0];
  expect: ProtocolSpec[P][1] & { open: boolean };
};

export type Check = { [P in ProtocolName]: CheckOf<P> }[ProtocolName];

export interface Suite {
  name: string;
  /** The file it came from, as given to the loader. */
  file: string;
  checks: Check[];
}

/** The JSON file the orchestrator copies into the sidecar and hands to the runner. */
export interface RunnerJob {
  suites: Suite[];
  /** How many checks run at the same time. */
  concurrency: number;
}

export const DEFAULT_CONCURRENCY = 8;
