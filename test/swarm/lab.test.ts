// The lab itself is a real swarm: three Ready nodes, a scheduler that spreads replicas, overlay
// networking between tasks on different nodes by service name, and a registry every node pulls from.
// Everything here is checked with the docker CLI, on the manager or on each node's own dockerd.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importTinyImage } from '../support/local-registry.js';
import { onNode, swarm, tasks, until } from './support/lab.js';

const lab = inject('swarmLab');
const id = `labtest-${process.pid}`;
const LABEL = `envtest.labtest=${id}`;
// No IPVS in this kernel (CONFIG_IP_VS unset), so a service's virtual IP never answers: services
// are reached through DNS round robin, which is also what envtest's Swarm backend uses.
const service = (name: string, ...args: string[]) =>
  swarm(lab, ['service', 'create', '--detach', '--quiet', '--name', `${id}-${name}`, '--label', LABEL, '--endpoint-mode', 'dnsrr', ...args]);
const running = async (name: string, count: number) => {
  const live = (await tasks(lab, `${id}-${name}`)).filter((t) => t.desired === 'Running');
  const failed = live.find((t) => t.error);
  if (failed) throw new Error(`${name}: ${failed.error}`);
  return live.length === count && live.every((t) => t.state === 'Running') ? live : undefined;
};
const completed = async (name: string, count: number) => {
  const all = await tasks(lab, `${id}-${name}`);
  const failed = all.find((t) => t.state === 'Failed' || t.state === 'Rejected');
  if (failed) throw new Error(`${name} on ${failed.node}: ${failed.state} ${failed.error}`);
  const done = all.filter((t) => t.state === 'Complete');
  return done.length === count ? done : undefined;
};

afterAll(async () => {
  const services = (await swarm(lab, ['service', 'ls', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (services.length) await swarm(lab, ['service', 'rm', ...services]);
  const networks = (await swarm(lab, ['network', 'ls', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  // A network is removable only once the tasks on it are gone from every node.
  if (networks.length) await until('lab test networks removed', async () => ((await swarm(lab, ['network', 'rm', ...networks]).catch(() => '')) ? true : undefined));
});

describe('the swarm lab', () => {
  it('has three Ready, Active nodes: node-1 the manager, 2 and 3 workers', async () => {
    const nodes = (await swarm(lab, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'])).split('\n').sort();
    expect(nodes).toEqual([`${lab.nodes[0]} Ready Active Leader`, `${lab.nodes[1]} Ready Active `, `${lab.nodes[2]} Ready Active `]);
  });

  it('spreads a service of three replicas over at least two nodes', async () => {
    await service('spread', '--replicas', '3', 'envtest/base:bookworm', 'sleep', 'infinity');
    const live = await until('three running replicas', () => running('spread', 3));
    expect(new Set(live.map((t) => t.node)).size).toBeGreaterThanOrEqual(2);
  });

  it('lets a task on one node reach a task on another by service name over an overlay network', async () => {
    const network = `${id}-overlay`;
    await swarm(lab, ['network', 'create', '--driver', 'overlay', '--attachable', '--label', LABEL, network]);
    const [, serverNode, clientNode] = lab.nodes as [string, string, string];
    await service('server', '--network', network, '--constraint', `node.hostname==${serverNode}`, '--env', 'NODE={{.Node.Hostname}}',
      'envtest/base:bookworm', 'node', '-e', 'require("http").createServer((q, s) => s.end("served on " + process.env.NODE)).listen(8080)');
    await until('the server running', () => running('server', 1));
    await service('client', '--network', network, '--constraint', `node.hostname==${clientNode}`, '--env', 'NODE={{.Node.Hostname}}',
      '--restart-condition', 'none', 'envtest/base:bookworm',
      'sh', '-c', `echo "client on $NODE: $(curl -sS --retry 20 --retry-all-errors --retry-delay 1 http://${id}-server:8080/)"`);
    const [client] = await until('the client done', () => completed('client', 1));
    expect(client!.node).toBe(clientNode);
    const logs = await swarm(lab, ['service', 'logs', '--raw', `${id}-client`]);
    expect(logs).toContain(`client on ${clientNode}: served on ${serverNode}`);
  });

  it('has a registry every node pulls from', async () => {
    const ref = `${lab.registry}/${id}-probe:1`;
    await importTinyImage(ref, { DOCKER_HOST: lab.dockerHost });
    await swarm(lab, ['push', '--quiet', ref]);
    await swarm(lab, ['rmi', ref]);
    for (const node of lab.nodes) await expect(onNode(node, ['image', 'inspect', ref])).rejects.toThrow();
    // A global service: one task per node, each node pulling the image from the lab registry.
    await service('pull', '--mode', 'global', '--restart-condition', 'none', '--env', 'NODE={{.Node.Hostname}}', ref, '/bin/busybox', 'sh', '-c', 'echo pulled on $NODE');
    const done = await until('a task on every node', () => completed('pull', 3));
    expect(done.map((t) => t.node).sort()).toEqual([...lab.nodes].sort());
    // The swarm pins the tag to the digest the registry gave it; each node holds the image under that name.
    const pinned = await swarm(lab, ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', `${id}-pull`]);
    expect(pinned).toMatch(new RegExp(`^${ref.replace(/[.:/]/g, '\\$&')}@sha256:[0-9a-f]{64}$`));
    for (const node of lab.nodes) await onNode(node, ['image', 'inspect', pinned]);
  });
});
