// The offline images built by scripts/build-images.sh exist and contain what the example, fixtures and
// sidecar rely on. Runs on the real engine; every container is --rm and labelled for leak checks.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BASE = 'envtest/base:bookworm';
const SIDECAR = 'envtest/sidecar:latest';
const LABEL = 'envtest.run=test-images';

async function run(image: string, ...cmd: string[]): Promise<string> {
  const { stdout } = await execa('docker', ['run', '--rm', '--label', LABEL, '--network', 'none', image, ...cmd]);
  return stdout.trim();
}

describe('envtest images', () => {
  it.each([BASE, SIDECAR])('%s exists', async (image) => {
    const { exitCode } = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { reject: false });
    expect(exitCode, `${image} is missing: run scripts/build-images.sh`).toBe(0);
  });

  it('sidecar runs node >= 18 in /envtest', async () => {
    const out = await run(SIDECAR, 'sh', '-c', 'node --version && pwd');
    const [version, cwd] = out.split('\n');
    const major = Number(/^v(\d+)\./.exec(version ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(18);
    expect(cwd).toBe('/envtest');
  });

  it('sidecar defaults to a long-running command', async () => {
    const { stdout } = await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Cmd}}', SIDECAR]);
    expect(JSON.parse(stdout)).toEqual(['sleep', 'infinity']);
  });

  it('base image has every server binary the fixtures start', async () => {
    // postgres is not on PATH in Debian: it lives under /usr/lib/postgresql/<major>/bin.
    const servers = ['redis-server', 'mariadbd', 'mariadb-install-db', 'nats-server', 'mosquitto', 'nginx', 'rabbitmq-server'];
    const script = [
      ...servers.map((s) => `command -v ${s} >/dev/null || echo "missing ${s}"`),
      'ls /usr/lib/postgresql/*/bin/postgres /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || echo "missing postgres"',
      'echo checked',
    ].join('; ');
    expect(await run(BASE, 'sh', '-c', script)).toBe('checked');
  });
});
