// A registry of the test's own on 127.0.0.1 (Debian's docker-registry), and a 1 MB image made
// from busybox-static to push to it: the image-pull path tested without reaching any outside host.
import bcrypt from 'bcryptjs';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function registryToolsMissing(): string | undefined {
  const missing = [['docker-registry', '/usr/bin/docker-registry'], ['busybox-static', '/bin/busybox']].filter(([, p]) => !existsSync(p!));
  return missing.length ? `${missing.map(([n]) => n).join(', ')} not installed (scripts/setup-test-tools.sh installs them)` : undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface LocalRegistry {
  host: string;
  stop(): Promise<void>;
}

/** With `login`, the registry admits only that user (basic auth from an htpasswd file, bcrypt as the registry requires). */
export async function startRegistry(opts: { login?: { username: string; password: string } } = {}): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  let auth = '';
  if (opts.login) {
    writeFileSync(join(dir, 'htpasswd'), `${opts.login.username}:${bcrypt.hashSync(opts.login.password, 10)}\n`);
    auth = `auth:\n  htpasswd:\n    realm: envtest-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(config, `version: 0.1\nlog: { level: error }\nstorage:\n  filesystem: { rootdirectory: ${join(dir, 'data')} }\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`);
  const proc: ResultPromise = execa('docker-registry', ['serve', config], { reject: false });
  const host = `127.0.0.1:${port}`;
  const headers = opts.login ? { authorization: `Basic ${Buffer.from(`${opts.login.username}:${opts.login.password}`).toString('base64')}` } : undefined;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://${host}/v2/`, { headers }).then((r) => r.ok, () => false);
    if (ok) return { host, stop: async () => void (proc.kill(), await proc) };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`the local registry did not answer on ${host}`);
}

/** A tiny image (busybox only, 2 MB) named `ref` on the engine `env` names (DOCKER_HOST), running `cmd` by default. */
export async function importTinyImage(ref: string, env: Record<string, string> = {}, cmd = ['/bin/busybox', 'sleep', '3600']): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'envtest-tiny-'));
  mkdirSync(join(root, 'bin'));
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  await execa('sh', ['-c', `tar -C "$ROOT" -c . | docker import --change "CMD $CMD" - "$REF"`], { env: { ...env, ROOT: root, REF: ref, CMD: JSON.stringify(cmd) } });
}

/** Builds a tiny image (busybox only) named `ref`, pushes it, and removes the local copy. `dockerConfig`: the docker CLI's config folder for the push (one that is logged in). */
export async function pushTinyImage(ref: string, dockerConfig?: string): Promise<void> {
  await importTinyImage(ref);
  await execa('docker', [...(dockerConfig ? ['--config', dockerConfig] : []), 'push', ref]);
  await execa('docker', ['rmi', ref]);
}
