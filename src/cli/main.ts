// The only module that calls process.exit. Commands throw typed errors; describeFailure maps them.
import { Command, CommanderError } from 'commander';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import { connectNamedEngine, type Backend } from '../library/engine.js';
import { forceRemoveRun } from '../library/runs.js';
import { Redactor } from '../text/redact.js';
import { configCommand } from './commands/config.js';
import { downCommand } from './commands/down.js';
import { execCommand } from './commands/exec.js';
import { forwardCommand } from './commands/forward.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { reproduceCommand } from './commands/reproduce.js';
import { shellCommand } from './commands/shell.js';
import { lsCommand } from './commands/ls.js';
import { reportCommand } from './commands/report.js';
import { planCommand } from './commands/plan.js';
import { portsCommand } from './commands/ports.js';
import { runCommand } from './commands/run.js';
import { upCommand } from './commands/up.js';
import { warningLine, type CommandContext } from './context.js';
import { describeFailure } from './exit.js';
import { wantsLiveStatus } from './live-status.js';
import { createLogger } from './logger.js';
import { trapSignals } from './signals.js';
import { escapeControls } from './terminal-text.js';

async function main(argv: string[]): Promise<number> {
  let redactor = new Redactor([]);
  const say = (stream: NodeJS.WriteStream) => (text: string) => stream.write(`${escapeControls(redactor.redact(text))}\n`);
  const signals = trapSignals((code) => process.exit(code));
  let runtime: Backend | undefined;
  const loggers = new Map<string, Logger>();
  const program = new Command('envtest')
    .description('Bring a compose stack up on an isolated network and check its internal ports from a sidecar.')
    .option('--debug', 'structured logs on stderr and stack traces for errors')
    .option('--backend <name>', 'where services run: docker (one engine) or swarm (the manager DOCKER_HOST names); default ENVTEST_BACKEND, else docker')
    .option('--registry <host:port>', 'swarm: the registry built images are pushed to and every node pulls from (default ENVTEST_REGISTRY)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError();
  const debug = () => !!program.opts().debug;
  const ctx: CommandContext = {
    out: say(process.stdout),
    err: say(process.stderr),
    warn: (p) => say(process.stderr)(warningLine(p)),
    liveStatus: wantsLiveStatus(process.stderr, process.env)
        ? (text) => process.stderr.write(`\r\x1b[K${escapeControls(redactor.redact(text)).slice(0, (process.stderr.columns || 100) - 1)}`)
        : undefined,
    runtime: () => (runtime ??= connectNamedEngine(program.opts())),
    signals,
    debug,
    logger: (file) => {
      const key = file ?? '';
      let logger = loggers.get(key);
      if (!logger) loggers.set(key, (logger = createLogger(debug(), (text) => redactor.redact(text), file, (message) => ctx.err(`warning: ${message}`))));
      return logger;
    },
    useRedactor: (r) => (redactor = r),
    forceTeardownOf: (runId) => signals.graceful(() => forceRemoveRun(ctx.runtime(), runId)),
  };
  for (const register of [configCommand, planCommand, upCommand, downCommand, lsCommand, runCommand, forwardCommand, execCommand, logsCommand, shellCommand, reproduceCommand, portsCommand, initCommand, reportCommand]) register(program, ctx);

  const fail = (error: unknown) => {
    const failure = describeFailure(error, debug());
    ctx.err(failure.text);
    return failure.code;
  };
  try {
    await program.parseAsync(argv);
    // A signal that arrived while the command could still finish is still the run's outcome.
    if (signals.signal.aborted) return fail(signals.signal.reason);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander complaint (already printed) is a usage error.
      return error.exitCode === 0 ? 0 : describeFailure(new UsageError(error.message), false).code;
    }
    // After a signal, whatever the interrupted work threw is noise: the signal decides the outcome.
    return fail(signals.signal.aborted ? signals.signal.reason : error);
  } finally {
    signals.dispose();
  }
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${describeFailure(error, true).text}\n`);
    process.exit(3);
  },
);
