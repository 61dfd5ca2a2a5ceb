// The port inventory: what `envtest ports --format json` prints, what `envtest init` writes a suite
// from, and the probe job the sidecar runs to dial ports and name their protocol.

/** What a short handshake showed the port to speak. */
export const SPOKEN = ['http', 'tls', 'grpc', 'postgres', 'mysql', 'redis', 'amqp', 'nats', 'mqtt', 'unknown'] as const;
export type Spoken = (typeof SPOKEN)[number];

export type PortFindingName = 'ok' | 'undeclared' | 'silent' | 'loopback-only' | 'unreachable';

export interface PortFinding {
  port: number;
  protocol: 'tcp' | 'udp';
  /** In `expose`, the container side of `ports`, or the image's ExposedPorts. */
  declared: boolean;
  /** Local addresses it listens on, as in /proc/net (`0.0.0.0`, `::`, `127.0.0.1`, an interface address). */
  addresses: string[];
  /** Dialled from the sidecar; null where nothing was dialled (UDP). */
  reachable: boolean | null;
  finding: PortFindingName;
  /** Named by a handshake from the sidecar; null where nothing was dialled or the dial failed. */
  speaks: Spoken | null;
  /** What the handshake learnt that a starter suite can assert (the HTTP status of `GET /`, ...). */
  answer?: ProbeAnswer;
  /** Why it is unreachable, in words. */
  note?: string;
  /**
   * A scaled service's port as each of its containers has it (the finding above is the first bad
   * one's, else the first replica's). Absent for a service with one container.
   */
  replicas?: { replica: number; finding: PortFindingName; reachable: boolean | null; note?: string }[];
}

export interface PortInventory {
  runId: string;
  project: string;
  services: Record<string, PortFinding[]>;
}

/** Details of an answer, for protocol checks that can be written without credentials. */
export interface ProbeAnswer {
  /** http: status of `GET /`. */
  status?: number;
  /** postgres: whether user `postgres` may log in without a password; redis, nats, mqtt: whether they ask for credentials. */
  authRequired?: boolean;
}

export interface ProbeTarget {
  /** Echoed back in the result. */
  id: string;
  host: string;
  port: number;
}

/** The sidecar's second job besides running suites: dial each target and name what answers. */
export interface ProbeJob {
  kind: 'probe';
  targets: ProbeTarget[];
  /** For one connect and for each handshake. */
  timeoutMs: number;
}

export interface ProbeResult {
  id: string;
  reachable: boolean;
  /** The connect error (ECONNREFUSED, ETIMEDOUT, ...) when not reachable. */
  error?: string;
  speaks?: Spoken;
  answer?: ProbeAnswer;
}

/** A failing finding: everything but ok, and undeclared only when strict. */
export function isBadFinding(finding: PortFindingName, strict: boolean): boolean {
  return finding !== 'ok' && (strict || finding !== 'undeclared');
}
