// The runner's results are taken from its output: its `done` line ends the wait, not its exit, which
// the engine may report long after (a busy engine, a process still flushing).
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../../src/model/results.js';
import type { Environment } from '../../../src/orchestrator/lifecycle/environment.js';
import { runChecksInSidecar } from '../../../src/orchestrator/sidecar/sidecar.js';
import type { Backend, Job } from '../../../src/runtime/backend.js';

const env = { runId: 'r1', project: { name: 'p' }, networks: { default: 'p-r1-default' } } as unknown as Environment;
const result = { type: 'result', suite: 's', name: 'c', target: 'api:80', protocol: 'tcp', status: 'passed', attempts: 1, durationMs: 3, message: 'ok' };

/** A runner that prints `lines`, then exits with `exitCode` when `exit()` is called (never by itself). */
function runner(lines: object[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let exit = (_code: number) => undefined as void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const removed: string[] = [];
  const job: Job = {
    id: 'sidecar-1',
    // The runner answers once it is sent its job.
    held: {
      output: new PassThrough(),
      send: () => {
        for (const line of lines) stdout.write(`${JSON.stringify(line)}\n`);
      },
      close: () => undefined,
    },
    output: async () => ({ stdout, stderr }),
    exited: ({ signal } = {}) =>
      new Promise<number>((resolve, reject) => {
        void exited.then(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    state: async () => ({}) as never,
    remove: async () => void removed.push('sidecar-1'),
  };
  return { job, exit: (code: number) => { stdout.end(); stderr.end(); exit(code); }, removed };
}

const check = (job: Job, events: RunnerEvent[] = []) =>
  runChecksInSidecar({
    runtime: {} as Backend,
    env,
    job: { suites: [] } as never,
    logger: pino({ level: 'silent' }),
    onEvent: (e) => events.push(e),
    started: Promise.resolve({ id: job.id, image: 'envtest/sidecar:latest', job }),
    leaveSidecar: true,
  });

describe('the check runner’s results', () => {
  it('are all in at its done line: the run goes on without waiting for the runner to exit', async () => {
    const r = runner([result, { type: 'done', passed: 1, failed: 0 }]);
    const events: RunnerEvent[] = [];
    const results = await check(r.job, events);
    expect(results).toEqual([{ suite: 's', name: 'c', target: 'api:80', protocol: 'tcp', status: 'passed', attempts: 1, durationMs: 3, message: 'ok' }]);
    expect(events.map((e) => e.type)).toEqual(['result', 'done']);
  });

  it('a runner that exits without its done line, or says fatal, is an environment error', async () => {
    const quiet = runner([result]);
    const waiting = check(quiet.job);
    setTimeout(() => quiet.exit(0), 20);
    await expect(waiting).rejects.toThrow('the check runner in the sidecar (envtest/sidecar:latest) failed: exited with code 0');

    const fatal = runner([{ type: 'fatal', message: 'no job' }]);
    const failing = check(fatal.job);
    setTimeout(() => fatal.exit(2), 20);
    await expect(failing).rejects.toThrow('failed: no job');
  });
});
