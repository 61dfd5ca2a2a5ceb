import type { Logger } from 'pino';
import { formatProblem, type Problem } from '../errors.js';
import type { Backend } from '../library/engine.js';
import type { Redactor } from '../text/redact.js';
import type { SignalScope } from './signals.js';

/** What every command gets from main: output, the engine (made on first use), signals, logging. */
export interface CommandContext {
  /** stdout and stderr; both pass through the run's redactor once one is set. */
  out(text: string): void;
  err(text: string): void;
  warn(problem: Problem): void;
  /** A line rewritten in place on an interactive terminal (undefined in CI and pipes). */
  liveStatus?: (text: string) => void;
  runtime(): Backend;
  signals: SignalScope;
  debug: () => boolean;
  /** Structured logs, redacted; to `file` when given. */
  logger(file?: string): Logger;
  /** From now on every output, log line and error message is redacted with it. */
  useRedactor(redactor: Redactor): Redactor;
  /** Signals now unwind through teardown; a second Ctrl-C removes everything labelled with this run at once. */
  forceTeardownOf(runId: string): void;
}

export function warningLine(p: Problem): string {
  return `warning: ${formatProblem(p)}`;
}
