import type { Logger } from 'pino';
import { formatProblem, type Problem } from '../errors.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { SignalScope } from './signals.js';

/** What every command gets from main: output, the engine (made on first use), signals, logging. */
export interface CommandContext {
  out(text: string): void;
  err(text: string): void;
  warn(problem: Problem): void;
  runtime(): ContainerRuntime;
  signals: SignalScope;
  debug: () => boolean;
  logger(file?: string): Logger;
}

export function warningLine(p: Problem): string {
  return `warning: ${formatProblem(p)}`;
}
