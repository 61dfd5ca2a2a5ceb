// Address-pool exhaustion changes the whole engine, so it runs alone (vitest.serial.config.ts),
// after every other test file. A blocker network takes the rest of the engine's pool; envtest must
// then fail with a sentence naming default-address-pools and leave nothing behind.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const BLOCKER = 'envtest-test-pool-blocker';

async function tryNetwork(name: string, subnet?: string): Promise<string | undefined> {
  const r = await execa('docker', ['network', 'create', ...(subnet ? ['--subnet', subnet] : []), '--label', 'envtest.test=pool', name], { reject: false });
  return r.exitCode === 0 ? r.stdout : undefined;
}

async function subnetOf(name: string): Promise<string> {
  return (await execa('docker', ['network', 'inspect', name, '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}'])).stdout;
}

afterAll(async () => {
  await execa('docker', ['network', 'rm', BLOCKER, `${BLOCKER}-probe`], { reject: false });
});

function skipBecause(ctx: { skip: () => void }, why: string): void {
  console.warn(`address-pool test skipped: ${why}`);
  ctx.skip();
}

describe('address pool exhaustion', () => {
  it('fails with exit 3 naming default-address-pools, and removes what it made', async (ctx) => {
    // Learn the pool from a probe network, then block the /16 it came from.
    if (!(await tryNetwork(`${BLOCKER}-probe`))) return skipBecause(ctx, 'the engine would not create a probe network');
    const probe = await subnetOf(`${BLOCKER}-probe`);
    await execa('docker', ['network', 'rm', `${BLOCKER}-probe`]);
    const [a, b] = probe.split('.');
    if (!(await tryNetwork(BLOCKER, `${a}.${b}.0.0/16`))) return skipBecause(ctx, `other networks already use part of ${a}.${b}.0.0/16`);
    if (await tryNetwork(`${BLOCKER}-probe`)) {
        await execa('docker', ['network', 'rm', `${BLOCKER}-probe`]);
      return skipBecause(ctx, 'the engine has more address pools than one /16, so this test cannot exhaust them');
    }

    const id = uniqueRunId('pool');
    const result = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('no free address range');
    expect(result.stderr).toContain('default-address-pools');
    expect(await leftovers(id)).toEqual([]);
  });
});
