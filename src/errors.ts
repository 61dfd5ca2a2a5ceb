// Every failure envtest reports on purpose is one of these. The CLI maps them to exit codes in one
// place (cli/exit.ts); anything else is a bug and is reported as such.

export const ExitCode = {
  ok: 0,
  checksFailed: 1,
  invalidInput: 2,
  environmentFailed: 3,
  engineUnavailable: 4,
  sigint: 130,
  sigterm: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class EnvtestError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where a problem sits in the user's input: file, key path and (when known) line. */
export interface Problem {
  file?: string;
  /** Dotted key path, e.g. `services.web.depends_on.db`. */
  path?: string;
  line?: number;
  message: string;
  /** Warnings are reported but do not fail validation. */
  severity?: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
  const where = [p.file && (p.line ? `${p.file}:${p.line}` : p.file), p.path].filter(Boolean).join(' ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** Bad flags or arguments. */
export class UsageError extends EnvtestError {
  readonly exitCode = ExitCode.invalidInput;
}

/** Invalid compose project or suite. Gathers every problem so the user fixes them in one pass. */
export class ValidationError extends EnvtestError {
  readonly exitCode = ExitCode.invalidInput;
  constructor(
    readonly problems: Problem[],
    readonly subject = 'input',
  ) {
    super(
      problems.length === 1
        ? `invalid ${subject}: ${formatProblem(problems[0]!)}`
        : `invalid ${subject}, ${problems.length} problems:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
  }
}

/** The stack did not come up: a service crashed, stayed unhealthy, timed out or its image is missing. */
export class EnvironmentError extends EnvtestError {
  readonly exitCode = ExitCode.environmentFailed;
  constructor(
    message: string,
    readonly details: { service?: string; lastLogs?: string[]; healthOutput?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A wait ran out. The message always says what and how long: `db:5432 not open after 30s`. */
export class WaitTimeoutError extends EnvironmentError {}

/** The run's artifacts (report, JUnit, metrics) could not be written: the disk is full, the folder gone. */
export class ArtifactsError extends EnvtestError {
  readonly exitCode = ExitCode.environmentFailed;
}

/**
 * The settings that say where the engine is (DOCKER_HOST, DOCKER_CONTEXT, the docker CLI's
 * config.json and contexts, the TLS files) are wrong: nothing was contacted.
 */
export class EngineConfigError extends EnvtestError {
  readonly exitCode = ExitCode.invalidInput;
}

export class EngineUnavailableError extends EnvtestError {
  readonly exitCode = ExitCode.engineUnavailable;
}

/** The run was interrupted by a signal; teardown has happened by the time this reaches the CLI. */
export class InterruptedError extends EnvtestError {
  readonly exitCode: ExitCode;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`);
    this.exitCode = signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
  }
}

export function isEnvtestError(e: unknown): e is EnvtestError {
  return e instanceof EnvtestError;
}
