// One attempt or latency sample of a check, with its own evidence: what was sent, what came back
// and where the time went. Produced in the sidecar, streamed to transactions.ndjson, read by the
// reports (and by snapshots, which compare captured responses), so it is plain JSON in the model.

/** Milliseconds from the transaction's start; a phase the protocol does not expose is absent. */
export interface TransactionPhases {
  dns?: number;
  connect?: number;
  tls?: number;
  firstByte?: number;
  total: number;
}

/** A captured text, at most EXCERPT_BYTES long; `bytes` is the size before capping. */
export interface Excerpt {
  text: string;
  bytes: number;
  truncated: boolean;
}

export const EXCERPT_BYTES = 4096;

/** What was sent, per protocol. */
export type TransactionRequest =
  | { protocol: 'http'; method: string; url: string; headers: Record<string, string>; body?: Excerpt }
  | { protocol: 'tcp'; host: string; port: number; send?: Excerpt }
  | { protocol: 'postgres' | 'mysql'; user: string; database?: string; query: Excerpt }
  | { protocol: 'redis'; command: string[]; db: number }
  | { protocol: 'grpc'; service: string; method: string; healthService: string }
  | { protocol: 'amqp'; queue: string; payload: Excerpt }
  | { protocol: 'nats'; subject: string; payload: Excerpt }
  | { protocol: 'mqtt'; topic: string; payload: Excerpt }
  /** A negative check (`open: false`) only tries a TCP handshake, whatever its protocol key. */
  | { protocol: 'probe'; host: string; port: number };

/** What came back, per protocol. Absent when nothing came back (see `error`). */
export type TransactionResponse =
  | { protocol: 'http'; status: number; statusText?: string; headers: Record<string, string | string[]>; body: Excerpt }
  | { protocol: 'tcp'; received: Excerpt }
  | { protocol: 'postgres' | 'mysql'; rowCount: number; rows: Record<string, unknown>[] }
  | { protocol: 'redis'; reply: unknown }
  | { protocol: 'grpc'; status: string; code: number; details?: string }
  | { protocol: 'amqp' | 'nats' | 'mqtt'; received: Excerpt }
  | { protocol: 'probe'; connected: boolean };

/** First rows kept of a SQL result. */
export const MAX_ROWS = 5;

export interface Transaction {
  /** `<check index>.<attempt>.<sample>`: sample 0 is a retry attempt, 1..n the latency samples after it. */
  id: string;
  suite: string;
  check: string;
  target: string;
  kind: 'attempt' | 'sample';
  attempt: number;
  sample: number;
  /** W3C trace id sent in `traceparent` (HTTP) so service logs can be matched to this transaction. */
  traceId?: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  phases: TransactionPhases;
  ok: boolean;
  /** Why the attempt failed (expected vs got), or the success note. */
  message: string;
  request?: TransactionRequest;
  response?: TransactionResponse;
  error?: { code?: string; message: string };
}
