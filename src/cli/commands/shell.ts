import type { Command } from 'commander';
import { EnvironmentError } from '../../errors.js';
import { openShell } from '../../access/exec.js';
import type { CommandContext } from '../context.js';
import { runInTerminal, wantsTty } from '../terminal-session.js';

export function shellCommand(program: Command, ctx: CommandContext): void {
  program
    .command('shell')
    .description("an interactive shell in a helper container on the run's networks, where service names resolve")
    .argument('<runId>', 'the run (see `envtest ls`)')
    .option('--image <image>', 'image of the helper (default: the sidecar image, which carries the debugging tools listed in the README)')
    .option('-T, --no-TTY', 'no pseudo-terminal even at a terminal (commands are read from stdin)')
    .action(async (runId: string, flags: { image?: string; tty: boolean }) => {
      const runtime = ctx.runtime();
      // Ctrl-C outside a TTY ends the shell: the helper is removed before the process exits.
      ctx.signals.graceful();
      await runtime.ping();
      const tty = wantsTty(!flags.tty);
      const shell = await openShell(runtime, runId, { image: flags.image, tty, signal: ctx.signals.signal });
      try {
        const interrupted = new Promise<'signal'>((resolve) => ctx.signals.signal.addEventListener('abort', () => resolve('signal'), { once: true }));
        const outcome = await Promise.race([runInTerminal(shell, tty), interrupted, shell.gone.then(() => 'gone' as const)]);
        if (outcome === 'gone') throw new EnvironmentError(`the shell's helper container went away (was run ${runId} torn down?)`);
        if (typeof outcome === 'number') process.exitCode = outcome;
      } finally {
        await shell.end();
      }
    });
}
