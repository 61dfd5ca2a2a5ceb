// Wires an exec session to this process's stdio, as `docker exec -i[t]` does: with a TTY the local
// terminal goes raw (Ctrl-C and friends reach the remote program) and follows window resizes;
// without one, stdin and stdout/stderr are piped and an end of input reaches the command.
import type { ExecSession } from '../library/engine.js';

/** Whether a session should get a TTY: only when both ends here are terminals, as compose decides. */
export function wantsTty(noTty?: boolean): boolean {
  return !noTty && !!process.stdin.isTTY && !!process.stdout.isTTY;
}

/** Resolves with the command's exit code once its output has ended. */
export async function runInTerminal(session: ExecSession, tty: boolean): Promise<number> {
  const stdin = process.stdin;
  let restore = () => {};
  if (tty && stdin.isTTY) {
    stdin.setRawMode(true);
    const resize = () => void session.resize(process.stdout.columns, process.stdout.rows).catch(() => undefined);
    resize();
    process.stdout.on('resize', resize);
    restore = () => {
      process.stdout.off('resize', resize);
      stdin.setRawMode(false);
    };
  }
  stdin.pipe(session.stdin);
  session.stdout.pipe(process.stdout, { end: false });
  session.stderr.pipe(process.stderr, { end: false });
  try {
    return await session.exitCode;
  } finally {
    restore();
    stdin.unpipe(session.stdin);
    stdin.pause();
  }
}
