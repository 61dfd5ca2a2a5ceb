// The only module that calls process.exit. Commands throw typed errors; describeFailure maps them.
import { Command, CommanderError } from 'commander';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import { DockerRuntime } from '../runtime/docker/docker-runtime.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { configCommand } from './commands/config.js';
import { downCommand } from './commands/down.js';
import { lsCommand } from './commands/ls.js';
import { planCommand } from './commands/plan.js';
import { runCommand } from './commands/run.js';
import { upCommand } from './commands/up.js';
import { warningLine, type CommandContext } from './context.js';
import { describeFailure } from './exit.js';
import { createLogger } from './logger.js';
import { trapSignals } from './signals.js';

async function main(argv: string[]): Promise<number> {
  const exit = (code: number) => process.exit(code);
  const signals = trapSignals(exit);
  let runtime: ContainerRuntime | undefined;
  const loggers = new Map<string, Logger>();
  const program = new Command('envtest')
    .description('Bring a compose stack up on an isolated network and check its internal ports from a sidecar.')
    .option('--debug', 'structured logs on stderr and stack traces for errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError();
  const ctx: CommandContext = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    warn: (p) => process.stderr.write(`${warningLine(p)}\n`),
    runtime: () => (runtime ??= new DockerRuntime()),
    signals,
    debug: () => !!program.opts().debug,
    logger: (file) => {
      const key = file ?? '';
      let logger = loggers.get(key);
      if (!logger) loggers.set(key, (logger = createLogger(!!program.opts().debug, file)));
      return logger;
    },
  };
  for (const register of [configCommand, planCommand, upCommand, downCommand, lsCommand, runCommand]) register(program, ctx);

  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander complaint is a usage error (exit 2).
      return error.exitCode === 0 ? 0 : describeAndReturn(new UsageError(error.message.replace(/^error: /, '')), false, true);
    }
    return describeAndReturn(error, ctx.debug());
  } finally {
    signals.dispose();
  }
}

function describeAndReturn(error: unknown, debug: boolean, alreadyPrinted = false): number {
  const failure = describeFailure(error, debug);
  if (!alreadyPrinted) process.stderr.write(`${failure.text}\n`);
  return failure.code;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${describeFailure(error, true).text}\n`);
    process.exit(3);
  },
);
