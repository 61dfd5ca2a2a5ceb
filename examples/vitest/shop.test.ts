// The shop from the repository's compose/ folder, tested from vitest with envtest as a library.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadSuite, up } from 'envtest';
import { expect, it } from 'vitest';

// SHOP_STACK points elsewhere when this folder is copied out of the repository.
const stack = process.env.SHOP_STACK ?? fileURLToPath(new URL('../../compose', import.meta.url));

it('serves orders, passes its suite and logs the requests', async () => {
  let runId: string;
  {
    await using env = await up({ files: [`${stack}/compose.yaml`], timeout: '3m' });
    runId = env.runId;

    // The api's port is internal: address() reaches it without publishing anything.
    const api = await env.address('api', 8080);
    const res = await fetch(`http://${api.host}:${api.port}/orders`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ orders: [{ item: 'espresso' }, { item: 'croissant' }] });

    const run = await env.check(await loadSuite(`${stack}/checks/shop.yaml`));
    expect(run.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(run.status).toBe('passed');

    expect(await env.logs('api')).toContain('GET /orders');
  }
  // The block has ended: nothing labelled with the run is left on the engine.
  const label = `label=envtest.run=${runId}`;
  const left = ['ps -aq', 'network ls -q', 'volume ls -q'].map((cmd) => execFileSync('docker', [...cmd.split(' '), '--filter', label], { encoding: 'utf8' }).trim());
  expect(left.join('')).toBe('');
});
