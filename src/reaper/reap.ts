// Removes everything labelled with one run: containers (but this reaper, last), networks (after
// disconnecting whatever is still attached), volumes. Repeats while anything is left, because an
// orchestrator killed mid-create may have had a request in flight that lands after the first pass.
import type { EngineApi } from './engine-api.js';

export interface ReapResult {
  removed: number;
  remaining: number;
}

export async function reapRun(api: EngineApi, runId: string, selfId: string, passes = 5): Promise<ReapResult> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`envtest.run=${runId}`] }));
  let removed = 0;
  let remaining = 0;
  for (let pass = 0; pass < passes; pass++) {
    const containers = (await api.call<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${filters}`)).body.filter((c) => !c.Id.startsWith(selfId));
    await Promise.all(containers.map(async (c) => ok(await api.call('DELETE', `/containers/${c.Id}?force=1&v=1`)) && removed++));

    const networks = (await api.call<{ Id: string }[]>('GET', `/networks?filters=${filters}`)).body;
    await Promise.all(
      networks.map(async (n) => {
        const info = (await api.call<{ Containers?: Record<string, unknown> }>('GET', `/networks/${n.Id}`)).body;
        await Promise.all(Object.keys(info?.Containers ?? {}).map((c) => disconnect(api, n.Id, c)));
        if (ok(await api.call('DELETE', `/networks/${n.Id}`))) removed++;
      }),
    );

    const volumes = (await api.call<{ Volumes: { Name: string }[] | null }>('GET', `/volumes?filters=${filters}`)).body.Volumes ?? [];
    await Promise.all(volumes.map(async (v) => ok(await api.call('DELETE', `/volumes/${encodeURIComponent(v.Name)}?force=1`)) && removed++));

    remaining = await countLeft(api, filters, selfId);
    if (remaining === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { removed, remaining };
}

function ok(res: { status: number }): boolean {
  return res.status < 300 || res.status === 404;
}

function disconnect(api: EngineApi, network: string, container: string) {
  return api.call('POST', `/networks/${network}/disconnect`, { Container: container, Force: true }).catch(() => undefined);
}

async function countLeft(api: EngineApi, filters: string, selfId: string): Promise<number> {
  const [c, n, v] = await Promise.all([
    api.call<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${filters}`),
    api.call<unknown[]>('GET', `/networks?filters=${filters}`),
    api.call<{ Volumes: unknown[] | null }>('GET', `/volumes?filters=${filters}`),
  ]);
  return c.body.filter((x) => !x.Id.startsWith(selfId)).length + n.body.length + (v.body.Volumes?.length ?? 0);
}
