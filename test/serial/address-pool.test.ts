// Address-pool exhaustion changes the whole engine, so it runs alone (vitest.serial.config.ts),
// after every other test file. Blocker networks take the rest of the engine's pool; envtest must
// then fail with a sentence naming default-address-pools and leave nothing behind.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';

const TAG = 'envtest.test=pool-blocker';
const PROBE = 'envtest-test-pool-probe';

const docker = async (args: string[]) => execa('docker', args, { reject: false });

/** CIDR blocks as [first address as a number, prefix length]. */
type Block = [number, number];
const toBlock = (cidr: string): Block => {
  const [ip, len] = cidr.split('/');
  return [ip!.split('.').reduce((n, o) => n * 256 + Number(o), 0), Number(len)];
};
const toCidr = ([start, len]: Block) => `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${len}`;
const size = (len: number) => 2 ** (32 - len);
const overlaps = ([a, la]: Block, [b, lb]: Block) => a < b + size(lb) && b < a + size(la);
const inside = ([a, la]: Block, [b, lb]: Block) => a >= b && a + size(la) <= b + size(lb);

/** The smallest set of blocks covering `block` minus every taken block. */
function complement(block: Block, taken: Block[]): Block[] {
  if (taken.some((t) => inside(block, t))) return [];
  if (!taken.some((t) => overlaps(block, t))) return [block];
  const half = block[1] + 1;
  return [...complement([block[0], half], taken), ...complement([block[0] + size(half), half], taken)];
}

async function existingSubnets(): Promise<Block[]> {
  const ids = (await docker(['network', 'ls', '-q'])).stdout.split('\n').filter(Boolean);
  const out = (await docker(['network', 'inspect', ...ids, '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}'])).stdout;
  return out.split(/\s+/).filter((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s)).map(toBlock);
}

afterAll(async () => {
  const blockers = (await docker(['network', 'ls', '-q', '--filter', `label=${TAG}`])).stdout.split('\n').filter(Boolean);
  if (blockers.length) await docker(['network', 'rm', ...blockers]);
  await docker(['network', 'rm', PROBE]);
});

function skipBecause(ctx: { skip: () => void }, why: string): void {
  console.warn(`address-pool test skipped: ${why}`);
  ctx.skip();
}

describe('address pool exhaustion', () => {
  it('fails with exit 3 naming default-address-pools, and removes what it made', async (ctx) => {
    // Learn the pool from a probe network, then take every free range of the /16 it came from.
    if ((await docker(['network', 'create', PROBE])).exitCode !== 0) return skipBecause(ctx, 'the engine would not create a probe network');
    const probe = (await docker(['network', 'inspect', PROBE, '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}'])).stdout;
    await docker(['network', 'rm', PROBE]);
    const [start] = toBlock(probe);
    const pool: Block = [start - (start % size(16)), 16];
    const blocks = complement(pool, await existingSubnets());
    for (const [i, b] of blocks.entries()) {
      const made = await docker(['network', 'create', '--subnet', toCidr(b), '--label', TAG, `envtest-test-pool-blocker-${i}`]);
      if (made.exitCode !== 0) return skipBecause(ctx, `could not block ${toCidr(b)}: ${made.stderr}`);
    }
    if ((await docker(['network', 'create', PROBE])).exitCode === 0) {
      return skipBecause(ctx, 'the engine has more address pools than one /16 (Docker\'s defaults), so this test cannot exhaust them');
    }

    const id = uniqueRunId('pool');
    const result = await envtest(['up', '-f', fixture('stack-tiny.yaml'), '--run-id', id]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain('no free address range');
    expect(result.stderr).toContain('default-address-pools');
    expect(await leftovers(id)).toEqual([]);
  });
});
