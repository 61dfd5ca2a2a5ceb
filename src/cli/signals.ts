// SIGINT and SIGTERM become an aborted signal: the command unwinds through its normal teardown and
// the CLI exits 130 or 143. A second SIGINT means "now": the force handler removes the run at once.
import { InterruptedError } from '../errors.js';

export interface SignalScope {
  signal: AbortSignal;
  /** Called on a second SIGINT; should remove the run's resources immediately. */
  onForce(handler: () => Promise<void>): void;
  dispose(): void;
}

export function trapSignals(exit: (code: number) => void): SignalScope {
  const controller = new AbortController();
  let force: (() => Promise<void>) | undefined;
  let forcing = false;
  const handle = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (!controller.signal.aborted) {
      process.stderr.write(`\nenvtest: ${name} received, tearing down (Ctrl-C again to force)\n`);
      controller.abort(new InterruptedError(name));
      return;
    }
    if (name === 'SIGINT' && !forcing) {
      forcing = true;
      process.stderr.write('envtest: forcing removal now\n');
      void (force?.() ?? Promise.resolve()).finally(() => exit(130));
    }
  };
  const onInt = handle('SIGINT');
  const onTerm = handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    onForce: (h) => {
      force = h;
    },
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
