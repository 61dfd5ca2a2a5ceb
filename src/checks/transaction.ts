// Collects one transaction's evidence while a protocol works: the protocol says what it sent, what
// came back and when each phase ended; the runner adds identity, timing and the verdict.
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import {
  EXCERPT_BYTES,
  type Excerpt,
  type TransactionPhases,
  type TransactionRequest,
  type TransactionResponse,
} from '../model/transaction.js';

type Phase = Exclude<keyof TransactionPhases, 'total'>;

export class TransactionRecorder {
  request?: TransactionRequest;
  response?: TransactionResponse;
  readonly phases: Omit<TransactionPhases, 'total'> = {};
  /** W3C trace context: 16 random bytes for the trace, 8 for our span. */
  readonly traceId = randomBytes(16).toString('hex');
  readonly spanId = randomBytes(8).toString('hex');
  private readonly start: number;

  constructor(private readonly clock: Clock) {
    this.start = clock.now();
  }

  sent(request: TransactionRequest): void {
    this.request = request;
  }

  received(response: TransactionResponse): void {
    this.response = response;
  }

  /** The first mark of a phase wins: a retried lookup inside a client must not move it later. */
  mark(phase: Phase): void {
    this.phases[phase] ??= roundMs(this.clock.now() - this.start);
  }

  elapsed(): number {
    return roundMs(this.clock.now() - this.start);
  }

  traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-01`;
  }
}

export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A decoded value (a redis reply) as it is when small, else as an excerpt of its JSON. */
export function cappedValue(value: unknown): unknown {
  const json = JSON.stringify(value) ?? '';
  return json.length <= EXCERPT_BYTES ? value : excerpt(json);
}

/** At most EXCERPT_BYTES of a text or buffer, cut on a character boundary. */
export function excerpt(value: string | Buffer): Excerpt {
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (buf.length <= EXCERPT_BYTES) return { text: buf.toString('utf8'), bytes: buf.length, truncated: false };
  // Decoding a cut multi-byte character yields U+FFFD at the end; drop it rather than show noise.
  const text = buf.subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
  return { text, bytes: buf.length, truncated: true };
}
