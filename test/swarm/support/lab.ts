// The swarm lab as the tests see it: scripts/swarm-lab.sh run as a user would, the docker CLI
// pointed at the lab's manager for swarm commands, and `docker exec <node> docker ...` through this
// machine's engine to look at one node's own dockerd (what is on that node, not what the manager says).
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export interface SwarmLab {
  /** ENVTEST_SWARM_LAB: the prefix of every container, network and volume of the lab. */
  name: string;
  /** DOCKER_HOST of the manager, on loopback. */
  dockerHost: string;
  /** The lab registry as the nodes name it (ENVTEST_REGISTRY). */
  registry: string;
  /** Container names of the nodes on this machine's engine, manager first; also their swarm hostnames. */
  nodes: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    swarmLab: SwarmLab;
  }
}

const script = fileURLToPath(new URL('../../../scripts/swarm-lab.sh', import.meta.url));

/** Runs scripts/swarm-lab.sh against this machine's engine (never the lab's: DOCKER_HOST is this process's). */
export function labScript(lab: string, args: string[]) {
  return execa('bash', [script, ...args], { env: { ENVTEST_SWARM_LAB: lab }, reject: false, all: true });
}

/** `up`'s stdout (the lines a user evals) read back into a lab. */
export function parseLabEnv(lab: string, stdout: string): SwarmLab {
  const value = (name: string) => {
    const m = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(stdout);
    if (!m) throw new Error(`swarm-lab.sh printed no ${name} line:\n${stdout}`);
    return m[1]!;
  };
  return { name: lab, dockerHost: value('DOCKER_HOST'), registry: value('ENVTEST_REGISTRY'), nodes: [1, 2, 3].map((n) => `${lab}-node-${n}`) };
}

/** The docker CLI against the lab's manager. */
export async function swarm(lab: SwarmLab, args: string[], input?: string): Promise<string> {
  return (await execa('docker', args, { env: { DOCKER_HOST: lab.dockerHost }, input })).stdout;
}

/** The docker CLI against one node's own dockerd. */
export async function onNode(node: string, args: string[]): Promise<string> {
  return (await execa('docker', ['exec', node, 'docker', ...args])).stdout;
}

/** Polls until `probe` returns something other than undefined, or fails with what it last saw. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface Task {
  node: string;
  desired: string;
  state: string;
  error: string;
}

/** Every task of a service, the replaced ones too (their desired state is Shutdown). */
export async function tasks(lab: SwarmLab, service: string): Promise<Task[]> {
  const out = await swarm(lab, ['service', 'ps', service, '--no-trunc', '--format', '{{.Node}}|{{.DesiredState}}|{{.CurrentState}}|{{.Error}}']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('|'))
    .map(([node, desired, state, error]) => ({ node: node!, desired: desired!, state: state!.split(' ')[0]!, error: error ?? '' }));
}

/** Everything on this machine's engine carrying the lab's name label: containers, networks, volumes. */
export async function labLeftovers(lab: string): Promise<string[]> {
  const label = `label=envtest.lab.name=${lab}`;
  const outs = await Promise.all([
    execa('docker', ['ps', '-a', '--format', 'container {{.Names}}', '--filter', label]),
    execa('docker', ['network', 'ls', '--format', 'network {{.Name}}', '--filter', label]),
    execa('docker', ['volume', 'ls', '--format', 'volume {{.Name}}', '--filter', label]),
  ]);
  return outs.flatMap((o) => o.stdout.split('\n')).filter(Boolean);
}
