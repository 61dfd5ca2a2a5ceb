// What an engine does with the exec of envtest's health probe: the session loop (one run of the
// check per line written, its exit code printed back, until stdin ends), or one run of the command.
import { PassThrough, Writable } from 'node:stream';
import { SESSION_SCRIPT } from '../../../src/orchestrator/readiness/health-probe-runs.js';
import type { ExecSession, ExecSpec } from '../../../src/runtime/runtime.js';

export interface FakeExec {
  spec: ExecSpec;
  at: number;
  /** The connection was dropped (close()). */
  closed: boolean;
  /** envtest ended the command's stdin. */
  stdinEnded: boolean;
  /** The command ends, as when its container dies. */
  end(): void;
}

/**
 * `runOnce` plays one run of the check (its exit code). With `shell: false` the image has no /bin/sh:
 * the engine starts the exec, prints its error and the loop never says hello.
 */
export function fakeCheckExec(spec: ExecSpec, runOnce: () => Promise<number>, opts: { shell?: boolean } = {}): { session: ExecSession; exec: FakeExec } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let ended!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (ended = resolve));
  const end = (code: number) => {
    stdout.end();
    stderr.end();
    ended(code);
  };
  const exec: FakeExec = { spec, at: Date.now(), closed: false, stdinEnded: false, end: () => end(137) };
  const close = () => {
    exec.closed = true;
    end(137);
  };
  const base = { stdout, stderr, exitCode, resize: async () => undefined, close };
  if (spec.command[2] !== SESSION_SCRIPT) {
    void runOnce().then(end);
    return { exec, session: { ...base, stdin: new PassThrough() } };
  }
  if (opts.shell === false) {
    setTimeout(() => {
      stdout.write('OCI runtime exec failed: exec failed: "/bin/sh": stat /bin/sh: no such file or directory: unknown\n');
      end(126);
    }, 0);
    return { exec, session: { ...base, stdin: new PassThrough() } };
  }
  // The loop reads one line at a time: runs never overlap.
  let chain = Promise.resolve();
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const _ of chunk.toString().matchAll(/\n/g)) {
        chain = chain.then(() => runOnce()).then((code) => void (stdout.writable && stdout.write(`${code}\n`)));
      }
      done();
    },
    final(done) {
      exec.stdinEnded = true;
      void chain.then(() => end(0));
      done();
    },
  });
  stdout.write('envtest-probe\n');
  return { exec, session: { ...base, stdin } };
}
