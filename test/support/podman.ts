// A Podman engine of the test's own: Debian's podman serving its Docker-compatible API
// (`podman system service`) on a socket in a temporary directory, with its own storage, run state,
// network configurations and events file there too, so it shares nothing with the Docker engine or
// with any other podman on the machine. No registry is reachable, so the images the example needs
// are copied in from the Docker engine (`docker save | podman load`).
import { execa, type ResultPromise } from 'execa';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function podmanMissing(): string | undefined {
  return existsSync('/usr/bin/podman') ? undefined : 'podman not installed (scripts/setup-test-tools.sh installs Debian\'s podman)';
}

export interface PodmanEngine {
  /** `unix://…/podman.sock`, for DOCKER_HOST. */
  host: string;
  /** The podman CLI on this engine's storage (not through the socket). */
  podman(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Where every piece of state of this podman goes; the global flags every podman command here takes. */
function isolatedFlags(dir: string): string[] {
  return [
    '--root', join(dir, 'root'),
    '--runroot', join(dir, 'run'),
    '--tmpdir', join(dir, 'tmp'),
    '--network-config-dir', join(dir, 'networks'),
    // No systemd here: the journal and systemd cgroups are not there to use.
    '--events-backend', 'file',
    '--cgroup-manager', 'cgroupfs',
  ];
}

export async function startPodman(): Promise<PodmanEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-podman-'));
  const flags = isolatedFlags(dir);
  const socket = join(dir, 'podman.sock');
  const conf = join(dir, 'containers.conf');
  const podman = async (args: string[]) => (await execa('podman', [...flags, ...args], { env: { CONTAINERS_CONF: conf } })).stdout;

  // Rootful podman gives every container 1048576 open files and processes. A machine (or CI
  // container) without CAP_SYS_RESOURCE cannot raise its own limits that far, and every container
  // start then fails in runc ("error setting rlimits"). The limits podman itself ends up with are
  // the most its containers can have: read them from a first service, then give them as defaults.
  writeFileSync(conf, '');
  const probe = await serve(flags, socket, conf);
  const limits = readFileSync(`/proc/${probe.proc.pid}/limits`, 'utf8');
  await stopService(probe);
  const hard = (name: string) => new RegExp(`^Max ${name}\\s+\\S+\\s+(\\S+)`, 'm').exec(limits)?.[1];
  const ulimits = [['nofile', hard('open files')], ['nproc', hard('processes')]].filter(([, v]) => v && v !== 'unlimited').map(([n, v]) => `"${n}=${v}:${v}"`);
  writeFileSync(conf, `[containers]\ndefault_ulimits = [${ulimits.join(', ')}]\n`);

  const service = await serve(flags, socket, conf);
  const firewall = await allowPodmanBridges();
  try {
    await execa('sh', ['-c', 'docker save envtest/base:bookworm envtest/sidecar:latest | podman "$@" load', 'sh', ...flags], { env: { CONTAINERS_CONF: conf } });
  } catch (e) {
    await stopService(service);
    throw e;
  }
  return {
    host: `unix://${socket}`,
    podman,
    stop: async () => {
      await stopService(service);
      await firewall();
      // Removes the containers, images, networks and volumes of this storage, unmounting its layers.
      await podman(['system', 'reset', '--force']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Wrapped: an async function returning the subprocess itself would wait for it to end. */
async function serve(flags: string[], socket: string, conf: string): Promise<{ proc: ResultPromise }> {
  const proc = execa('podman', [...flags, 'system', 'service', '--time=0', `unix://${socket}`], { env: { CONTAINERS_CONF: conf }, reject: false });
  for (let i = 0; i < 200; i++) {
    if (await pings(socket)) return { proc };
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`podman system service did not answer on ${socket}:\n${(await proc).stderr}`);
}

function pings(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function stopService({ proc }: { proc: ResultPromise }): Promise<void> {
  proc.kill('SIGTERM');
  await proc;
}

/**
 * Docker sets the host's FORWARD policy to DROP, and with bridge netfilter on, traffic between two
 * containers on one bridge passes through it. Netavark allows only its non-internal networks there,
 * so on a host that also runs Docker, containers on an internal Podman network cannot reach each
 * other (the README says so). The test allows traffic within Podman's bridges (`podman+`, which only
 * podman makes) for its duration, as the README tells users to; it returns the undo.
 */
async function allowPodmanBridges(): Promise<() => Promise<void>> {
  const rule = ['FORWARD', '-i', 'podman+', '-o', 'podman+', '-m', 'comment', '--comment', `envtest podman e2e ${process.pid}`, '-j', 'ACCEPT'];
  const policy = await execa('iptables', ['-S', 'FORWARD'], { reject: false });
  if (policy.exitCode !== 0 || !/^-P FORWARD DROP/m.test(policy.stdout)) return async () => undefined;
  await execa('iptables', ['-I', ...rule]);
  return async () => void (await execa('iptables', ['-D', ...rule], { reject: false }));
}
