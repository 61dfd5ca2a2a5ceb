// The one place failures become exit codes and sentences. Everything else throws typed errors.
import { EnvironmentError, ExitCode, isEnvtestError, ValidationError } from '../errors.js';

export interface Failure {
  code: number;
  text: string;
}

export function describeFailure(error: unknown, debug: boolean): Failure {
  if (isEnvtestError(error)) {
    const lines = [error instanceof ValidationError ? error.message : `envtest: ${error.message}`];
    if (error instanceof EnvironmentError) {
      const { service, healthOutput, lastLogs } = error.details;
      if (healthOutput) lines.push(`  last health check output of ${service}: ${healthOutput}`);
      if (lastLogs?.length) lines.push(`  last log lines of ${service}:`, ...lastLogs.map((l) => `    | ${l}`));
    }
    if (debug && error.stack) lines.push(error.stack);
    return { code: error.exitCode, text: lines.join('\n') };
  }
  // Not one of ours: a bug. Say so plainly; the stack only with --debug.
  const message = error instanceof Error ? error.message : String(error);
  const text = debug && error instanceof Error && error.stack ? error.stack : `envtest: internal error: ${message} (run with --debug for details)`;
  return { code: ExitCode.environmentFailed, text };
}
