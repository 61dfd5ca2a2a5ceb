// Removes everything labelled with one run: containers (but this reaper, last), networks (after
// disconnecting whatever is still attached), volumes. Repeats while anything is left, because an
// orchestrator killed mid-create may have had a request in flight that lands after the first pass.
import type { EngineApi } from './engine-api.js';
import { nodeSweepService } from './node-sweep.js';

export interface ReapResult {
  removed: number;
  remaining: number;
  /** The run had swarm services: its tasks' volumes may be on other nodes (see sweepNodes). */
  swarm?: boolean;
}

export async function reapRun(api: EngineApi, runId: string, selfId: string, passes = 5): Promise<ReapResult> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`envtest.run=${runId}`] }));
  let removed = 0;
  let remaining = 0;
  let swarm = false;
  for (let pass = 0; pass < passes; pass++) {
    // On a swarm manager the run's services go first: their tasks, on every node, go with them.
    const services = await swarmObjects(api, 'services', filters);
    await Promise.all(services.map(async (s) => ok(await api.call('DELETE', `/services/${s.ID}`)) && removed++));
    if (services.length) await tasksGone(api, services.map((s) => s.ID));
    swarm ||= services.length > 0;
    const configs = await swarmObjects(api, 'configs', filters);
    await Promise.all(configs.map(async (c) => ok(await api.call('DELETE', `/configs/${c.ID}`)) && removed++));

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
  return { removed, remaining, ...(swarm ? { swarm } : {}) };
}

/**
 * On a swarm, a node's volumes are seen only by that node: a global one-shot job runs the sweep once
 * on every node, in this reaper's own image (which has node), then the job goes.
 */
export async function sweepNodes(api: EngineApi, runId: string, selfId: string): Promise<boolean> {
  const self = await api.call<{ Config?: { Image?: string } }>('GET', `/containers/${selfId}/json`);
  const image = self.body?.Config?.Image;
  if (!image) return false;
  const created = await api.call<{ ID?: string }>('POST', '/services/create', nodeSweepService(runId, image, selfId));
  const id = created.body?.ID;
  if (!id) return false;
  const filters = encodeURIComponent(JSON.stringify({ service: [id] }));
  try {
    for (let i = 0; i < 120; i++) {
      const tasks = (await api.call<{ Status?: { State?: string } }[]>('GET', `/tasks?filters=${filters}`)).body;
      if (Array.isArray(tasks) && tasks.length > 0 && tasks.every((t) => ['complete', 'failed', 'rejected', 'shutdown'].includes(t.Status?.State ?? ''))) {
        return tasks.every((t) => t.Status?.State === 'complete');
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  } finally {
    await api.call('DELETE', `/services/${id}`).catch(() => undefined);
  }
}

/** Services or configs with the run's label; none on an engine that is not a swarm manager (it answers 503). */
async function swarmObjects(api: EngineApi, kind: 'services' | 'configs', filters: string): Promise<{ ID: string }[]> {
  const res = await api.call<{ ID: string }[]>('GET', `/${kind}?filters=${filters}`);
  return res.status === 200 && Array.isArray(res.body) ? res.body : [];
}

/** A removed service's tasks leave its overlay network a moment later; the network cannot go before. */
async function tasksGone(api: EngineApi, services: string[]): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ service: services }));
  for (let i = 0; i < 60; i++) {
    const res = await api.call<unknown[]>('GET', `/tasks?filters=${filters}`);
    if (res.status !== 200 || !Array.isArray(res.body) || res.body.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function ok(res: { status: number }): boolean {
  return res.status < 300 || res.status === 404;
}

function disconnect(api: EngineApi, network: string, container: string) {
  return api.call('POST', `/networks/${network}/disconnect`, { Container: container, Force: true }).catch(() => undefined);
}

async function countLeft(api: EngineApi, filters: string, selfId: string): Promise<number> {
  const [s, c, n, v] = await Promise.all([
    swarmObjects(api, 'services', filters),
    api.call<{ Id: string }[]>('GET', `/containers/json?all=1&filters=${filters}`),
    api.call<unknown[]>('GET', `/networks?filters=${filters}`),
    api.call<{ Volumes: unknown[] | null }>('GET', `/volumes?filters=${filters}`),
  ]);
  return s.length + c.body.filter((x) => !x.Id.startsWith(selfId)).length + n.body.length + (v.body.Volumes?.length ?? 0);
}
