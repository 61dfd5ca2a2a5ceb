// The service log lines that belong to a failed check: what its services said from one second
// before the failing transaction to one second after it, and any line anywhere carrying its trace id.
import type { CheckResult } from '../model/results.js';
import type { LogLine } from './log-lines.js';

export const CORRELATION_MARGIN_MS = 1000;
/** report.json and JUnit keep this many lines per failure; the terminal shows fewer. */
export const MAX_CORRELATED_LINES = 200;
export const TERMINAL_LOG_LINES = 20;

export interface CorrelatedLine extends LogLine {
  /** `trace`: the line carries the failing transaction's trace id (wherever and whenever it was). */
  match: 'window' | 'trace';
}

export interface FailureWindow {
  startedAt: number;
  endedAt: number;
  traceId?: string;
}

/** The failing transaction, or the whole check when no single transaction failed it (a latency bound). */
export function failureWindow(result: CheckResult): FailureWindow | undefined {
  if (result.status !== 'failed') return undefined;
  if (result.failure) return result.failure;
  if (result.startedAt === undefined || result.finishedAt === undefined) return undefined;
  return { startedAt: result.startedAt, endedAt: result.finishedAt };
}

export function correlate(window: FailureWindow, services: readonly string[], lines: readonly LogLine[], limit = MAX_CORRELATED_LINES): CorrelatedLine[] {
  const from = window.startedAt - CORRELATION_MARGIN_MS;
  const to = window.endedAt + CORRELATION_MARGIN_MS;
  const picked: CorrelatedLine[] = [];
  for (const l of lines) {
    if (window.traceId && l.line.includes(window.traceId)) picked.push({ ...l, match: 'trace' });
    else if (services.includes(l.service) && l.at >= from && l.at <= to) picked.push({ ...l, match: 'window' });
  }
  return fewest(picked.sort((a, b) => a.at - b.at), limit);
}

/** At most `limit` lines in time order, trace-id lines first to stay, then the window's. */
export function fewest(lines: readonly CorrelatedLine[], limit: number): CorrelatedLine[] {
  if (lines.length <= limit) return [...lines];
  const trace = lines.filter((l) => l.match === 'trace').slice(0, limit);
  const room = limit - trace.length;
  const window = lines.filter((l) => l.match === 'window').slice(0, room);
  return [...trace, ...window].sort((a, b) => a.at - b.at);
}

/** `14:54:52.373 api | GET /orders ...` */
export function formatLogLine(l: LogLine): string {
  return `${new Date(l.at).toISOString().slice(11, 23)} ${l.service} | ${l.line}`;
}
