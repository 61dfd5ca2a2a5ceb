// Snapshot testing end to end on a stack written into a temp dir (the snapshot file lands beside
// the suite): record with -u, pass on the same stack, fail with a structural diff on the "next
// version" whose API renamed a JSON field, and fail in CI when nothing was recorded.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/artifacts/report.js';
import { envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'envtest-snapshots-'));
const runId = runIdsRemovedAfterAll(afterAll);

// The API's field for a product's name comes from TITLE_FIELD: its "next version" renames it.
// No `$` in the script: compose would interpolate it.
const api = [
  "const http = require('http');",
  "const field = process.env.TITLE_FIELD || 'name';",
  'http.createServer((req, res) => {',
  "  const items = [{ id: 1, price: 2.1, updatedAt: new Date().toISOString() }, { id: 2, price: null, updatedAt: String(Date.now()) }];",
  "  items[0][field] = 'espresso'; items[1][field] = 'croissant';",
  "  res.setHeader('content-type', 'application/json; charset=utf-8');",
  "  res.setHeader('x-api-version', '1');",
  '  res.end(JSON.stringify({ items, total: items.length }));',
  '}).listen(8080);',
].join('\n');

const health = { interval: '1s', timeout: '3s', retries: 60 };
const PG = '/usr/lib/postgresql/15/bin';
const compose = {
  name: 'snapstack',
  services: {
    api: {
      image: 'envtest/base:bookworm',
      environment: { TITLE_FIELD: '${TITLE_FIELD:-name}' },
      command: ['node', '-e', api],
      healthcheck: { ...health, test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/'] },
    },
    db: {
      image: 'envtest/base:bookworm',
      command: [
        'sh',
        '-c',
        [
          'install -d -o postgres -g postgres /var/lib/postgresql/data',
          `setpriv --reuid=postgres --regid=postgres --init-groups ${PG}/initdb -D /var/lib/postgresql/data -U postgres --auth-local=trust --auth-host=trust >/dev/null`,
          'echo "host all all 0.0.0.0/0 trust" >> /var/lib/postgresql/data/pg_hba.conf',
          `exec setpriv --reuid=postgres --regid=postgres --init-groups ${PG}/postgres -D /var/lib/postgresql/data -c listen_addresses=*`,
        ].join(' && '),
      ],
      healthcheck: { ...health, test: ['CMD', `${PG}/pg_isready`, '-q', '-h', '127.0.0.1', '-U', 'postgres'] },
    },
    cache: {
      image: 'envtest/base:bookworm',
      command: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', ''],
      healthcheck: { ...health, test: ['CMD', 'redis-cli', 'ping'] },
    },
  },
};

const suite = [
  'name: snapstack',
  'checks:',
  '  - name: api products',
  '    target: api:8080',
  '    http: { path: /products }',
  '    expect: { status: 200 }',
  '    snapshot: { ignore: ["$.items[*].updatedAt"] }',
  '  - name: db products columns',
  '    target: db:5432',
  `    postgres: { query: "SELECT 1::int4 AS id, 'espresso'::text AS name, 2.10::numeric AS price, now() AS at" }`,
  '    snapshot: true',
  '  - name: cache answers',
  '    target: cache:6379',
  '    redis: { command: [PING] }',
  '    snapshot: true',
  '  - name: api port open',
  '    target: api:8080',
  '    tcp: {}',
  '',
].join('\n');

const stackFile = join(root, 'compose.yaml');
writeFileSync(stackFile, JSON.stringify(compose, null, 2));

/** A fresh directory holding the suite: its __snapshots__ folder starts empty. */
function suiteDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'snapstack.yaml'), suite);
  return dir;
}
const snapFile = (dir: string) => join(dir, '__snapshots__', 'snapstack.snap.yaml');
const artifacts = join(root, 'artifacts');
const report = (id: string, sub = '') => JSON.parse(readFileSync(join(artifacts + sub, id, 'report.json'), 'utf8')) as RunReport;
const junit = (id: string) => readFileSync(join(artifacts, id, 'junit.xml'), 'utf8');
const laptop = { CI: 'false' };

describe('snapshots', () => {
  const recorded = suiteDir('recorded');
  const suiteFile = join(recorded, 'snapstack.yaml');
  const v1 = runId('snap-v1');

  it('records every snapshotted check with -u, in a readable file beside the suite', { timeout: 120_000 }, async () => {
    const up = await envtest(['up', '-f', stackFile, '--run-id', v1]);
    expect(up.exitCode, up.all).toBe(0);
    const result = await envtest(['run', '--attach', v1, '--checks', suiteFile, '--artifacts', join(artifacts, 'rec'), '-u'], { env: laptop });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('api products (api:8080');
    expect(result.stderr).toMatch(/snapshot .*snapstack\.snap\.yaml written: 3 recorded/);

    const text = readFileSync(snapFile(recorded), 'utf8');
    expect(text).toMatch(/^# envtest snapshots for snapstack.yaml/);
    for (const line of [
      'api products:',
      '  protocol: http',
      '    $.items[].name: string',
      '    $.items[].price: null | number',
      '    $.total: number',
      '    content-type: application/json; charset=utf-8',
      '    headers.x-api-version: present',
      '    status: "200"',
      'db products columns:',
      '  protocol: postgres',
      '    columns.id: int4',
      '    columns.name: text',
      '    columns.price: numeric',
      '    columns.at: timestamptz',
      '    command: SELECT',
      'cache answers:',
      '    reply: string',
    ]) {
      expect(text).toContain(`${line}\n`);
    }
    // Ignored, volatile (date, content-length) and valued parts never reach the file.
    expect(text).not.toContain('updatedAt');
    expect(text).not.toMatch(/date|content-length|espresso|PONG/);
    expect(text).not.toContain('api port open');
    const checks = report(v1, '/rec').checks;
    expect(checks.filter((c) => c.snapshot).map((c) => c.snapshot!.status)).toEqual(['recorded', 'recorded', 'recorded']);
    expect(checks.find((c) => c.name === 'api port open')!.snapshot).toBeUndefined();
  });

  it('passes again on the same stack and leaves the file byte for byte as it was', async () => {
    const before = readFileSync(snapFile(recorded), 'utf8');
    const result = await envtest(['run', '--attach', v1, '--checks', suiteFile, '--artifacts', join(artifacts, 'again')], { env: { CI: 'true' } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('4 checks, 4 passed, 0 failed');
    expect(readFileSync(snapFile(recorded), 'utf8')).toBe(before);
    expect(report(v1, '/again').checks.filter((c) => c.snapshot).every((c) => c.snapshot!.status === 'matched')).toBe(true);
  });

  it('in CI, fails a check with no recorded snapshot and says how to record one; records nothing', async () => {
    const dir = suiteDir('ci');
    const result = await envtest(['run', '--attach', v1, '--checks', join(dir, 'snapstack.yaml'), '--artifacts', join(artifacts, 'ci')], { env: { CI: 'true' } });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('4 checks, 1 passed, 3 failed');
    expect(result.stdout).toMatch(/no snapshot of this check in .*snapstack\.snap\.yaml, and in CI \(CI is set\) none is recorded; record it with: envtest run --attach \S+ --checks \S+ --artifacts \S+ -u/);
    expect(existsSync(snapFile(dir))).toBe(false);
    expect(report(v1, '/ci').checks.filter((c) => c.snapshot?.status === 'missing')).toHaveLength(3);
  });

  it('on a laptop, records a missing snapshot without -u and passes', async () => {
    const dir = suiteDir('laptop');
    const result = await envtest(['run', '--attach', v1, '--checks', join(dir, 'snapstack.yaml'), '--artifacts', join(artifacts, 'laptop')], { env: laptop });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('— snapshot recorded');
    expect(readFileSync(snapFile(dir), 'utf8')).toBe(readFileSync(snapFile(recorded), 'utf8'));
    const down = await envtest(['down', v1]);
    expect(down.exitCode, down.all).toBe(0);
  });

  it('fails the next version, whose API renamed a field, with a diff naming the old and the new field', { timeout: 120_000 }, async () => {
    const before = readFileSync(snapFile(recorded), 'utf8');
    const id = runId('snap-v2');
    const result = await envtest(['run', '-f', stackFile, '--checks', suiteFile, '--run-id', id, '--artifacts', artifacts], {
      env: { ...laptop, TITLE_FIELD: 'title' },
    });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('4 checks, 3 passed, 1 failed');
    expect(result.all).toContain('$.items[].name: missing (was string)');
    expect(result.all).toContain('$.items[].title: new (string)');
    expect(result.all).toMatch(/accept it with: envtest run -f \S+ --checks \S+ --run-id \S+ --artifacts \S+ -u/);

    const api = report(id).checks.find((c) => c.name === 'api products')!;
    expect(api.status).toBe('failed');
    expect(api.snapshot).toEqual({
      status: 'changed',
      file: expect.stringMatching(/snapstack\.snap\.yaml$/),
      changes: ['$.items[].name: missing (was string)', '$.items[].title: new (string)'],
    });
    const xml = junit(id);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('$.items[].name: missing (was string)');
    expect(xml).toContain('$.items[].title: new (string)');
    const html = readFileSync(join(artifacts, id, 'report.html'), 'utf8');
    expect(html).toContain('<pre class="snapshot-diff">$.items[].name: missing (was string)\n$.items[].title: new (string)</pre>');
    // A failed comparison never rewrites the snapshot.
    expect(readFileSync(snapFile(recorded), 'utf8')).toBe(before);
    expect(await leftovers(id)).toEqual([]);
  });

  it('accepts the next version with -u, printing what changed, and then passes on it', { timeout: 180_000 }, async () => {
    const id = runId('snap-v2u');
    const env = { ...laptop, TITLE_FIELD: 'title' };
    const result = await envtest(['run', '-f', stackFile, '--checks', suiteFile, '--run-id', id, '--artifacts', artifacts, '-u'], { env });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toMatch(/api products .*— snapshot updated:\n\s+\$\.items\[\]\.name: missing \(was string\)\n\s+\$\.items\[\]\.title: new \(string\)/);
    expect(result.stderr).toMatch(/snapshot .*snapstack\.snap\.yaml written: 1 updated/);
    const text = readFileSync(snapFile(recorded), 'utf8');
    expect(text).toContain('$.items[].title: string\n');
    expect(text).not.toContain('$.items[].name:');
    const again = await envtest(['run', '-f', stackFile, '--checks', suiteFile, '--run-id', runId('snap-v2b'), '--artifacts', artifacts], { env: { ...env, CI: 'true' } });
    expect(again.exitCode, again.all).toBe(0);
  });
});

