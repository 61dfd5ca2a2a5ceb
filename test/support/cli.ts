// Runs the built CLI exactly as a user would, and inspects the engine with the docker CLI rather
// than with envtest's own runtime, so a bug in the runtime cannot hide itself.
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/envtest.js', import.meta.url));

/** Where runs put artifacts unless a test passes --artifacts: never the working tree (the CLI runs in repoRoot). */
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-artifacts-'));

export function envtest(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return execa('node', ['--', bin, ...args], { reject: false, cwd: opts.cwd ?? repoRoot, env: { ENVTEST_ARTIFACTS: artifacts, ...opts.env }, all: true });
}

export function envtestProcess(args: string[], opts: { env?: Record<string, string>; detached?: boolean } = {}): ResultPromise {
  return execa('node', ['--', bin, ...args], { reject: false, cwd: repoRoot, env: { ENVTEST_ARTIFACTS: artifacts, ...opts.env }, all: true, detached: opts.detached });
}

/** Everything on the engine labelled with this run: containers, networks, volumes. */
export async function leftovers(runId: string): Promise<string[]> {
  const label = `label=envtest.run=${runId}`;
  const [c, n, v] = await Promise.all([
    execa('docker', ['ps', '-aq', '--filter', label]),
    execa('docker', ['network', 'ls', '-q', '--filter', label]),
    execa('docker', ['volume', 'ls', '-q', '--filter', label]),
  ]);
  return [c.stdout, n.stdout, v.stdout].flatMap((s) => s.split('\n')).filter(Boolean);
}

/** How long until nothing labelled with the run is left; throws after `withinMs`. */
export async function waitUntilGone(runId: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await leftovers(runId)).length === 0) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${runId} still has ${(await leftovers(runId)).join(', ')} after ${withinMs}ms`);
}

export async function docker(args: string[]): Promise<string> {
  return (await execa('docker', args)).stdout;
}

export function uniqueRunId(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Run ids for one test file, all removed after it as a backstop: each test asserts its own
 * cleanup, this only keeps a failed assertion from leaking onto the engine.
 */
export function runIdsRemovedAfterAll(afterAll: (fn: () => Promise<void>) => void): (prefix: string) => string {
  const made: string[] = [];
  afterAll(async () => {
    if (made.length) await envtest(['down', ...made]);
  });
  return (prefix) => {
    const id = uniqueRunId(prefix);
    made.push(id);
    return id;
  };
}

/** Resolves when the process has written `text` to stderr. */
export function stderrSays(proc: ReturnType<typeof envtestProcess>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    proc.once('exit', () => reject(new Error(`exited before saying "${text}":\n${seen}`)));
  });
}

/** Containers the engine runs for the RUN step of stack-slow-build with this NONCE (a build arg, so in their environment). */
export async function buildStepContainers(nonce: string): Promise<string[]> {
  const steps = (await docker(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}']))
    .split('\n')
    .filter((line) => line.includes('build $NONCE'))
    .map((line) => line.split(' ')[0]!);
  if (!steps.length) return [];
  const envs = await docker(['inspect', '--format', '{{.Id}} {{json .Config.Env}}', ...steps]).catch(() => ''); // gone in between
  return envs.split('\n').filter((line) => line.includes(`NONCE=${nonce}`)).map((line) => line.split(' ')[0]!);
}
