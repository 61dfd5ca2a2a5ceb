// A run that failed in "CI", its artifacts folder copied elsewhere, brought back by `envtest
// reproduce` on the "laptop": same environment, same checks, same failures, same exit code; secrets
// travel as names only. Through the CLI, on a real engine, checked with the docker CLI.
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, uniqueRunId } from '../support/cli.js';

const TOKEN = 'tok-Secr3t-5a7c';
const image = `envtest-repro-test-${process.pid}:latest`;
const ci = mkdtempSync(join(tmpdir(), 'envtest-repro-ci-'));
const laptop = mkdtempSync(join(tmpdir(), 'envtest-repro-laptop-'));

writeFileSync(
  join(ci, 'compose.yaml'),
  `name: repro
services:
  api:
    image: ${image}
    command: ["sh", "-c", "echo api up; exec sleep infinity"]
    environment:
      API_TOKEN: \${REPRO_TOKEN}
      DB_URL: postgres://app:\${REPRO_TOKEN}@db/shop
    expose: ["8080"]
    # Nothing listens on 8080: ready once running, rather than after the port patience, three times over.
    x-envtest: { ready: running }
`,
);
writeFileSync(
  join(ci, 'checks.yaml'),
  `name: repro
checks:
  - name: port 1 is closed
    target: api:1
    tcp: {}
    expect: { open: false }
    timeout: 1s
  - name: port 2 is open
    target: api:2
    tcp: {}
    timeout: 1s
    retry: { for: 1s, every: 250ms }
`,
);

afterAll(async () => {
  await execa('docker', ['rmi', image], { reject: false });
});

const runIdOf = (stderr: string) => /as run (\S+)/.exec(stderr)?.[1];
const failedChecks = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { checks: { name: string; status: string }[] }).checks.filter((c) => c.status === 'failed').map((c) => c.name);

describe('envtest reproduce', () => {
  it('brings a failed run back elsewhere with the same failing checks and exit code, secrets as names only', async () => {
    await docker(['tag', 'envtest/base:bookworm', image]);
    const original = uniqueRunId('repro-ci');
    const run = await envtest(['run', '-f', 'compose.yaml', '--checks', 'checks.yaml', '--artifacts', 'out', '--run-id', original], { cwd: ci, env: { REPRO_TOKEN: TOKEN } });
    expect(run.exitCode, run.all).toBe(1);
    const saved = join(ci, 'out', original);
    const recordText = readFileSync(join(saved, 'reproduce.json'), 'utf8');
    expect(recordText).not.toContain(TOKEN);
    const record = JSON.parse(recordText);
    expect(record.secrets).toEqual(['REPRO_TOKEN']);
    expect(record.project.services.api.environment).toEqual({ API_TOKEN: '${REPRO_TOKEN}', DB_URL: 'postgres://app:${REPRO_TOKEN}@db/shop' });
    expect(record.images.api.id).toBe(await docker(['image', 'inspect', image, '--format', '{{.Id}}']));
    expect(record.envtest.commandLine).toEqual(['run', '-f', 'compose.yaml', '--checks', 'checks.yaml', '--artifacts', 'out', '--run-id', original]);
    expect(record.envtest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(record.suites[0].checks.map((c: { name: string }) => c.name)).toEqual(['port 1 is closed', 'port 2 is open']);

    // The laptop: another folder, no CI environment variables.
    const copy = join(laptop, 'from-ci');
    cpSync(saved, copy, { recursive: true });

    const missing = await envtest(['reproduce', copy, '--artifacts', 'out'], { cwd: laptop });
    expect(missing.exitCode, missing.all).toBe(2);
    expect(missing.stderr).toContain('secrets this machine does not have: REPRO_TOKEN');
    expect(missing.stderr).not.toContain('reproducing');

    // The local image is not the one the run used: a warning names the service.
    await docker(['tag', 'envtest/sidecar:latest', image]);
    writeFileSync(join(laptop, '.env'), `REPRO_TOKEN=${TOKEN}\n`);
    const again = await envtest(['reproduce', copy, '--artifacts', 'out'], { cwd: laptop });
    expect(again.exitCode, again.all).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`warning: services\\.api: the local image ${image.replace(/[.:]/g, '\\$&')} is [0-9a-f]{12}, but the run used [0-9a-f]{12}`));
    expect(again.stdout).toContain('reproduced: failed with the same failed checks (1), as in the saved run');
    const reproduced = runIdOf(again.stderr)!;
    expect(failedChecks(join(laptop, 'out', reproduced))).toEqual(failedChecks(saved));
    expect(failedChecks(saved)).toEqual(['port 2 is open']);
    expect(readFileSync(join(laptop, 'out', reproduced, 'reproduce.json'), 'utf8')).not.toContain(TOKEN);
    expect(await leftovers(reproduced)).toEqual([]);

    // --keep leaves it up and says how to reach it; --checks-only runs the failed check alone.
    const kept = await envtest(['reproduce', copy, '--keep', '--checks-only', '--artifacts', 'out'], { cwd: laptop });
    expect(kept.exitCode, kept.all).toBe(1);
    const keptId = runIdOf(kept.stderr)!;
    try {
      expect(kept.stdout).toContain('1 checks, 0 passed, 1 failed');
      expect(kept.stderr).toContain(`envtest forward ${keptId} api:8080`);
      expect(kept.stderr).toContain(`envtest down ${keptId}`);
      expect(await docker(['exec', `repro-${keptId}-api`, 'sh', '-c', 'echo "$API_TOKEN"'])).toBe(TOKEN);
    } finally {
      expect((await envtest(['down', keptId])).exitCode).toBe(0);
    }
    expect(await leftovers(keptId)).toEqual([]);
  });

  it('refuses a folder that is not a run record (exit 2)', async () => {
    const result = await envtest(['reproduce', laptop]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('holds no reproduce.json');
  });
});
