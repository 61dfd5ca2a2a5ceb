// The check runner inside the sidecar: `node sidecar-runner.cjs`, started before the job is there
// (it waits for the job on stdin, see job.ts). The job is a set of suites, or a probe job (dial ports and name their protocol, for `envtest ports`).
// Bundled into one file with no node_modules, so it may import only the model and src/checks.
// Exit 0 whether checks passed or failed (the orchestrator judges by the results); 2 when the
// runner itself could not do its job, after a `fatal` line saying why.
import { protocols } from '../checks/registry.js';
import { runJob } from '../checks/run-job.js';
import { systemClock } from '../checks/clock.js';
import { drain, lineEmitter } from './emit.js';
import { readJob } from './job.js';
import { runProbes } from './probe/run-probes.js';

const RUNNER_FAILED = 2;

async function main(): Promise<number> {
  const emit = lineEmitter((line) => process.stdout.write(line));
  try {
    const job = await readJob(process.stdin);
    if ('kind' in job) {
      await runProbes(job, (result) => emit({ type: 'probe', ...result }));
      emit({ type: 'done', passed: 0, failed: 0 });
    } else await runJob(job, { protocols, clock: systemClock }, emit);
    return 0;
  } catch (err) {
    emit({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    return RUNNER_FAILED;
  }
}

// A library throwing from a callback would otherwise kill the process without a word.
const emitFatal = lineEmitter((line) => process.stdout.write(line));
const crash = (err: unknown) => {
  emitFatal({ type: 'fatal', message: `runner crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
  void drain(process.stdout).then(() => process.exit(RUNNER_FAILED));
};
process.on('uncaughtException', crash);
// A client library rejecting a promise nobody awaits any more (after its attempt timed out) is
// noise, not a reason to throw away the remaining checks: note it on stderr and carry on.
process.on('unhandledRejection', (err) => {
  process.stderr.write(`envtest runner: ignored unhandled rejection: ${err instanceof Error ? err.message : String(err)}\n`);
});

// Client libraries can leave timers or sockets behind after a timed-out attempt; once the results
// are flushed, nothing is worth waiting for.
void main().then(async (code) => {
  await drain(process.stdout);
  process.exit(code);
});
