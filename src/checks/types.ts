// The contract between the runner and each protocol: one attempt, judged against the check's
// expectations, reported as an outcome rather than thrown, so retrying is uniform.
import type { CheckOf, ProtocolName } from '../model/suite.js';
import type { TransactionRecorder } from './transaction.js';

export interface AttemptContext {
  /** Aborted when the attempt's timeout is up: close sockets and settle promptly. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Unique per attempt, for payloads that must be told apart from stale ones. */
  nonce: string;
  /** Where the protocol puts what it sent, what came back and when each phase ended. */
  record: TransactionRecorder;
}

export type AttemptOutcome =
  | {
      ok: true;
      note?: string;
      /** When the protocol can time the request more precisely than the runner. */
      latencyMs?: number;
      /** The answer's shape, when the check has a snapshot (path → type, see src/snapshot). */
      shape?: Record<string, string>;
    }
  | {
      ok: false;
      /** What was expected and what came back. */
      message: string;
      /** Set when no connection was made at all: the error code (ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ...). */
      unreachable?: string;
    };

export interface Protocol<P extends ProtocolName> {
  readonly name: P;
  /** Resolves with the outcome; may reject, and the runner turns the error into an outcome. */
  attempt(check: CheckOf<P>, ctx: AttemptContext): Promise<AttemptOutcome>;
}

export type ProtocolRegistry = { readonly [P in ProtocolName]: Protocol<P> };
