// Keys `docker compose config` accepts and a run must either honour or refuse before making anything:
// secrets and configs on a read_only service (honoured, through volumes the engine may copy into),
// network_mode container:<name> and several build platforms (refused by name, nothing left behind).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, envtest, leftovers, runIdsRemovedAfterAll } from '../support/cli.js';

const runId = runIdsRemovedAfterAll(afterAll);

async function project(yaml: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'envtest-ro-'));
  for (const [name, body] of Object.entries({ 'compose.yaml': yaml, ...files })) await writeFile(join(dir, name), body);
  return join(dir, 'compose.yaml');
}

describe('compose keys a run honours or refuses at start', () => {
  it('gives a read_only service its secrets and configs, and keeps its root read-only', async () => {
    const id = runId('rofiles');
    const file = await project(
      `services:
  app:
    image: envtest/base:bookworm
    command: [sleep, infinity]
    read_only: true
    secrets: [pw, {source: pw, target: nested/pw, mode: 0400}]
    configs: [{source: conf, target: /etc/apt/app.conf}]
secrets:
  pw: {file: ./pw.txt}
configs:
  conf: {content: "port=80"}
`,
      { 'pw.txt': 's3cret\n' },
    );
    const up = await envtest(['up', '-f', file, '--run-id', id]);
    expect(up.exitCode, up.all).toBe(0);
    const container = await docker(['ps', '-q', '--filter', `label=envtest.run=${id}`, '--filter', 'label=envtest.service=app']);
    expect(await docker(['inspect', container, '--format', '{{.HostConfig.ReadonlyRootfs}}'])).toBe('true');
    expect(await docker(['exec', container, 'cat', '/run/secrets/pw', '/run/secrets/nested/pw', '/etc/apt/app.conf'])).toBe('s3cret\ns3cret\nport=80');
    expect(await docker(['exec', container, 'stat', '-c', '%a', '/run/secrets/nested/pw'])).toBe('400');
    // The image's own files in that directory survive (the volume is filled from the image first).
    expect((await docker(['exec', container, 'ls', '/etc/apt'])).split('\n')).toEqual(expect.arrayContaining(['app.conf', 'apt.conf.d', 'sources.list.d']));
    const rootWrite = await docker(['exec', container, 'sh', '-c', 'touch /x 2>&1 || true']);
    expect(rootWrite).toMatch(/Read-only file system/);
    // The volumes holding them carry the run's label, and go with the run.
    expect((await docker(['volume', 'ls', '-q', '--filter', `label=envtest.run=${id}`])).split('\n').filter(Boolean)).toHaveLength(2);
    const down = await envtest(['down', id]);
    expect(down.exitCode, down.all).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('refuses network_mode container:<name> at start, saying why and what to use, with nothing made', async () => {
    const id = runId('ctrnet');
    const file = await project('services:\n  web:\n    image: envtest/base:bookworm\n    network_mode: container:somewhere\n');
    const config = await envtest(['config', '-f', file]);
    expect(config.exitCode, config.all).toBe(0);
    expect(config.stdout).toContain('network_mode: container:somewhere');
    const up = await envtest(['up', '-f', file, '--run-id', id]);
    expect(up.exitCode, up.all).toBe(2);
    expect(up.stderr).toMatch(/compose.yaml:4 services.web.network_mode: "container:somewhere" is refused \(not planned\): it joins the network of a container outside the run.*"service:<name>"/);
    expect(await leftovers(id)).toEqual([]);
  });

  it('refuses several build platforms when it must build, naming the key, and leaves nothing', async () => {
    const id = runId('platforms');
    const file = await project(`services:\n  web:\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n`, { Dockerfile: 'FROM envtest/base:bookworm\n' });
    const config = await envtest(['config', '-f', file]);
    expect(config.exitCode, config.all).toBe(0);
    expect(config.stdout).toMatch(/platforms:\n\s+- linux\/amd64\n\s+- linux\/arm64/);
    const up = await envtest(['up', '-f', file, '--run-id', id]);
    expect(up.exitCode, up.all).toBe(2);
    expect(up.stderr).toMatch(/compose.yaml:5 services.web.build.platforms: lists 2 platforms \(linux\/amd64, linux\/arm64\) and the image must be built: not supported \(needs BuildKit/);
    expect(await leftovers(id)).toEqual([]);
  });
});
