// vitest globalSetup for test/swarm: brings the lab up (scripts/swarm-lab.sh, as a user would), copies
// the images envtest runs onto every node, hands the lab to the tests, and removes it afterwards,
// failing the run if anything labelled with the lab is left on this machine's engine.
// ENVTEST_SWARM_LAB=<name> ENVTEST_SWARM_LAB_KEEP=1 keeps that lab for the next run with the same name
// (up is idempotent, load skips what is there).
import type { TestProject } from 'vitest/node';
import { labLeftovers, labScript, parseLabEnv } from './lab.js';

const IMAGES = ['envtest/base:bookworm', 'envtest/sidecar:latest'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A name of its own per test run, so two runs on one engine never take down each other's lab.
  const name = process.env.ENVTEST_SWARM_LAB ?? `envtest-swarm-t${process.pid}`;
  const t0 = Date.now();
  const up = await labScript(name, ['up']);
  if (up.exitCode !== 0) throw new Error(`swarm-lab.sh up failed:\n${up.all}`);
  const t1 = Date.now();
  const load = await labScript(name, ['load', ...IMAGES]);
  if (load.exitCode !== 0) throw new Error(`swarm-lab.sh load failed:\n${load.all}`);
  console.log(`swarm lab ${name}: up in ${((t1 - t0) / 1000).toFixed(0)}s, images loaded in ${((Date.now() - t1) / 1000).toFixed(0)}s`);
  project.provide('swarmLab', parseLabEnv(name, up.stdout));

  return async () => {
    if (process.env.ENVTEST_SWARM_LAB_KEEP === '1') return;
    const down = await labScript(name, ['down']);
    if (down.exitCode !== 0) throw new Error(`swarm-lab.sh down failed:\n${down.all}`);
    const left = await labLeftovers(name);
    if (left.length) throw new Error(`swarm-lab.sh down left: ${left.join(', ')}`);
  };
}
