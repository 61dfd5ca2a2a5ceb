// Run lifecycles beyond the happy path: ids in use, kept environments, attaching, interrupting
// `up`, and secrets that services print. Through the CLI, with the engine checked by the docker CLI.
import { readFile, readdir } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docker, envtest, envtestProcess, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const SECRET = 'q"uo\\te-s3cret';
const artifacts = mkdtempSync(join(tmpdir(), 'envtest-lifecycle-'));
const running = async (id: string) => (await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=service'])).split('\n').filter(Boolean);

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('run ids and kept environments', () => {
  it('refuses an id that is in use (exit 2) and leaves that environment alone', async () => {
    const id = uniqueRunId('taken');
    expect((await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id])).exitCode).toBe(0);
    try {
      const again = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id]);
      expect(again.exitCode, again.all).toBe(2);
      expect(again.stderr).toContain(`run id ${id} is already in use`);
      expect(await running(id)).toHaveLength(1);
    } finally {
      await envtest(['down', id]);
    }
    expect(await leftovers(id)).toEqual([]);
  });

  it('run --keep-on-failure keeps the failed stack after envtest exits (the reaper must not take it)', async () => {
    const id = uniqueRunId('keepfail');
    const result = await envtest(['run', '-f', fixture('stack-exits-at-start.yaml'), '--checks', fixture('suite-slow.yaml'), '--run-id', id, '--keep-on-failure', '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(3);
    await new Promise((r) => setTimeout(r, 4000)); // longer than the reaper's grace
    expect((await leftovers(id)).length).toBeGreaterThan(0);
    expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper'])).toBe('');
    expect(result.stderr).toContain(`envtest shell ${id}`);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('run --keep-on-failure keeps a stack whose checks failed, prints what to type next, and tears down a passing one', async () => {
    const id = uniqueRunId('keepchecks');
    const result = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-tiny-failing.yaml'), '--run-id', id, '--keep-on-failure', '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(1);
    await new Promise((r) => setTimeout(r, 4000)); // longer than the reaper's grace
    expect(await running(id)).toHaveLength(1);
    expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=reaper'])).toBe('');
    const steps = result.stderr.slice(result.stderr.indexOf(`environment ${id} is still up`)).split('\n').slice(1, 5);
    expect(steps).toEqual([`  envtest forward ${id} SERVICE:PORT`, `  envtest shell ${id}`, `  envtest logs ${id} -f`, `  envtest down ${id}`]);
    // The lines work as printed.
    expect((await envtest(['logs', id])).stdout).toContain('api  | api up');
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);

    const passing = uniqueRunId('keeppass');
    const ok = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-tiny-passing.yaml'), '--run-id', passing, '--keep-on-failure', '--artifacts', artifacts]);
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.stderr).not.toContain('is still up');
    expect(await leftovers(passing)).toEqual([]);
  });

  it('run --keep leaves the stack up for run --attach, which leaves it up too', async () => {
    const id = uniqueRunId('kept');
    const first = await envtest(['run', '-f', fixture('stack-tiny.yaml'), '--checks', fixture('suite-leaky.yaml'), '--run-id', id, '--keep', '--artifacts', artifacts]);
    expect([0, 1], first.all).toContain(first.exitCode);
    expect(await running(id)).toHaveLength(1);
    const attached = await envtest(['run', '--attach', id, '--checks', fixture('suite-leaky.yaml'), '--artifacts', artifacts]);
    expect([0, 1], attached.all).toContain(attached.exitCode);
    expect(attached.stderr).toContain('(attached)');
    expect(await running(id)).toHaveLength(1);
    // Neither run left a sidecar behind, and the kept stack is not "stale".
    expect(await docker(['ps', '-aq', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.role=sidecar'])).toBe('');
    const stale = await envtest(['down', '--all', '--stale']);
    expect(stale.stdout).not.toContain(id);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('interrupting up', () => {
  it('SIGINT during up tears down and exits 130', async () => {
    const id = uniqueRunId('upint');
    const proc = envtestProcess(['up', '-f', fixture('stack-slow-start.yaml'), '--run-id', id]);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      proc.stderr!.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('db started')) resolve();
      });
      proc.once('exit', () => reject(new Error(seen)));
    });
    proc.kill('SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(await leftovers(id)).toEqual([]);
  });
});

describe('secrets that services print', () => {
  it('never reach the terminal, the logs or the reports', async () => {
    const id = uniqueRunId('leaky');
    const result = await envtest(['run', '-f', fixture('stack-leaky-secrets.yaml'), '--checks', fixture('suite-leaky.yaml'), '--run-id', id, '--artifacts', artifacts]);
    expect(result.exitCode, result.all).toBe(1); // the second check fails on purpose
    expect(result.all).not.toContain('s3cret');
    const files = await allFiles(join(artifacts, id));
    expect(files.some((f) => f.endsWith('logs/api.log'))).toBe(true);
    expect(await readFile(join(artifacts, id, 'logs/api.log'), 'utf8')).toContain('connecting with password ***');
    for (const f of files) expect(await readFile(f, 'utf8'), f).not.toContain('s3cret');
    expect(await leftovers(id)).toEqual([]);
  });

  it('nor the last log lines shown when the service dies', async () => {
    const id = uniqueRunId('leakydie');
    const result = await envtest(['up', '-f', fixture('stack-leaky-secrets.yaml'), '--run-id', id], { env: { LEAKY_EXIT: '4' } });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('connecting with password ***');
    expect(result.all).not.toContain(SECRET);
    expect(await leftovers(id)).toEqual([]);
  });
});
