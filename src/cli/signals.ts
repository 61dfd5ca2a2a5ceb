// SIGINT and SIGTERM. A command with something to unwind (a run being started or checked) marks
// itself graceful: the signal becomes an aborted AbortSignal, the command tears down through its
// normal path and the CLI exits 130 or 143; a second SIGINT runs the force handler at once. Any
// other command (config, plan, ls, down) simply exits.
import { InterruptedError } from '../errors.js';

export interface SignalScope {
  signal: AbortSignal;
  /** From now on signals unwind instead of exiting; `force` runs on a second SIGINT. */
  graceful(force?: () => Promise<void>): void;
  dispose(): void;
}

export function trapSignals(exit: (code: number) => void): SignalScope {
  const controller = new AbortController();
  let graceful = false;
  let force: (() => Promise<void>) | undefined;
  let forcing = false;
  const handle = (name: 'SIGINT' | 'SIGTERM') => () => {
    const interrupted = new InterruptedError(name);
    if (!graceful) return exit(interrupted.exitCode);
    if (!controller.signal.aborted) {
      process.stderr.write(`\nenvtest: ${name} received, tearing down${name === 'SIGINT' ? ' (Ctrl-C again to force)' : ''}\n`);
      controller.abort(interrupted);
      return;
    }
    if (name === 'SIGINT' && !forcing) {
      forcing = true;
      process.stderr.write('envtest: forcing removal now\n');
      void (force?.() ?? Promise.resolve()).finally(() => exit(interrupted.exitCode));
    }
  };
  const onInt = handle('SIGINT');
  const onTerm = handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    graceful: (f) => {
      graceful = true;
      force = f;
    },
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
