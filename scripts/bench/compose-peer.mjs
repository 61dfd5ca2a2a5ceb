// The compose CLI doing what `envtest run` does, as a careful user would script it: `up -d`, wait
// until every container is healthy (with a health check), exited 0 (a one-shot job) or running,
// run the same checks from a container on the stack's network, then `down -v`. A unique project
// per round; the services run envtest's images for the stack, so neither tool builds in the timing.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runChecksOn } from './checks-runner.mjs';

/** `docker compose` (v2) where present, else `docker-compose` (v1); undefined when neither answers. */
export async function findComposeCli() {
  const v2 = await execa('docker', ['compose', 'version', '--short'], { reject: false });
  if (v2.exitCode === 0) return { cmd: 'docker', pre: ['compose'], version: `docker compose ${v2.stdout.trim()}` };
  const v1 = await execa('docker-compose', ['version', '--short'], { reject: false });
  if (v1.exitCode === 0) return { cmd: 'docker-compose', pre: [], version: `docker-compose ${v1.stdout.trim()}` };
  return undefined;
}

/** The container side of a `ports:` entry ("8080:80", "127.0.0.1:80:80/udp", { target: 80 }). */
function containerPort(entry) {
  if (typeof entry === 'object' && entry) return `${entry.target}${entry.protocol ? `/${entry.protocol}` : ''}`;
  const [spec, proto] = String(entry).split('/');
  const port = spec.split(':').at(-1);
  return proto ? `${port}/${proto}` : port;
}

/**
 * The stack as the compose CLI gets it: no top-level `name` (v1 predates it; -p names the project),
 * build contexts absolute, each built service tagged with the image envtest built for it, and host
 * `ports` turned into `expose` (envtest publishes nothing unless asked; a fixed host port would also
 * collide with everything else on the engine).
 */
export function peerComposeFile(file, projectName, dir) {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true });
  delete doc.name;
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    if (svc.build !== undefined) {
      const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      if (build.context && !isAbsolute(build.context)) build.context = resolve(dirname(file), build.context);
      svc.build = build;
      svc.image ??= `${projectName}-${name}`;
    }
    if (svc.ports) {
      svc.expose = [...(svc.expose ?? []), ...svc.ports.map(containerPort)];
      delete svc.ports;
    }
  }
  const out = join(dir, `compose-peer-${Math.random().toString(36).slice(2, 8)}.yaml`);
  // JSON, which is YAML too: compose v1 reads YAML 1.1, where a plain `no` or `on` is a boolean.
  writeFileSync(out, JSON.stringify(doc, null, 2));
  return out;
}

const inspectFormat = '{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}';

/** Polls `docker inspect` every 100 ms until the project is ready; throws on a crash or after timeoutMs. */
async function waitReady(project, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = (await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
    const states = ids.length ? (await execa('docker', ['inspect', '--format', inspectFormat, ...ids])).stdout.split('\n') : [];
    const notReady = states.filter((line) => {
      const [name, status, code, health] = line.split('|');
      if (status === 'exited' && code !== '0') throw new Error(`compose peer: ${name} exited ${code}`);
      if (health) return health !== 'healthy';
      return !(status === 'running' || status === 'exited');
    });
    if (ids.length && !notReady.length) return;
    if (Date.now() > deadline) throw new Error(`compose peer: not ready after ${timeoutMs} ms: ${notReady.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One round: up -d, health wait, checks, down -v. Resolves { ms, checks, ok }. */
export async function composeRound({ cli, peerFile, projectDir, project, jobPath, labels, timeoutMs = 180_000 }) {
  const compose = (...args) => execa(cli.cmd, [...cli.pre, '-p', project, '-f', peerFile, '--project-directory', projectDir, ...args], { all: true });
  const started = performance.now();
  let checks;
  try {
    await compose('up', '-d');
    await waitReady(project, timeoutMs);
    const networks = (await execa('docker', ['network', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
    checks = await runChecksOn(networks, jobPath, labels);
  } finally {
    await compose('down', '-v', '--remove-orphans').catch((e) => console.error(`compose peer: down failed: ${e.message}`));
  }
  return { ms: performance.now() - started, checks, ok: checks.failed === 0 };
}
