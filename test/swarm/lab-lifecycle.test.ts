// scripts/swarm-lab.sh's own contract, on a second lab of its own (the shared one stays up for the
// other files): `up` twice is the same lab, `env` repeats up's lines, `load` puts an image from this
// machine's engine on every node under the same id and into the lab registry, and `down` leaves nothing labelled with the lab.
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { importTinyImage } from '../support/local-registry.js';
import { labLeftovers, labScript, onNode, parseLabEnv, swarm } from './support/lab.js';

const name = `envtest-swarm-lc${process.pid}`;
const image = `envtest-swarm-lab-probe:${process.pid}`;

afterAll(async () => {
  await labScript(name, ['down']);
  await execa('docker', ['rmi', image], { reject: false });
});

it('comes up idempotently, loads images onto every node, and goes down leaving nothing', async () => {
  const first = await labScript(name, ['up']);
  expect(first.exitCode, first.all).toBe(0);
  const lab = parseLabEnv(name, first.stdout);
  expect(lab.dockerHost).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
  expect(lab.registry).toBe(`${name}-registry:5000`);

  const again = await labScript(name, ['up']);
  expect(again.exitCode, again.all).toBe(0);
  expect(again.stdout).toBe(first.stdout);
  expect((await labScript(name, ['env'])).stdout).toBe(first.stdout);
  expect((await swarm(lab, ['node', 'ls', '-q'])).split('\n')).toHaveLength(3);

  await importTinyImage(image);
  const id = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).stdout;
  const load = await labScript(name, ['load', image]);
  expect(load.exitCode, load.all).toBe(0);
  for (const node of lab.nodes) expect(await onNode(node, ['image', 'inspect', '--format', '{{.Id}}', image])).toBe(id);
  // ... and into the lab registry, where an image built FROM it finds its layers already pushed.
  const tags = await execa('docker', ['exec', lab.nodes[0]!, 'curl', '-fsS', `http://${lab.registry}/v2/envtest-swarm-lab-probe/tags/list`]);
  expect(JSON.parse(tags.stdout).tags).toEqual([String(process.pid)]);

  const missing = await labScript(name, ['load', 'envtest-no-such-image:never']);
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr).toContain('no image envtest-no-such-image:never on this machine');

  expect(await labLeftovers(name)).not.toEqual([]);
  const down = await labScript(name, ['down']);
  expect(down.exitCode, down.all).toBe(0);
  expect(await labLeftovers(name)).toEqual([]);
  const env = await labScript(name, ['env']);
  expect(env.exitCode).toBe(1);
  expect(env.stderr).toContain('the lab is not up');
});
