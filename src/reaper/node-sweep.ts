// What one swarm node runs to remove the run's leftovers only it can see: a node's volumes (and any
// container of the run still on it) are invisible to the manager. Run as a global one-shot job, so
// the swarm schedules it once on every node; node alone, through the mounted engine socket.
export const NODE_SWEEP_SCRIPT = `
const http = require('node:http');
const run = process.env.ENVTEST_RUN;
// The reaper that launched this sweep carries the run's label too: removed here, it could never remove the sweep's service.
const spare = process.env.ENVTEST_SPARE || '';
const sweepable = (cs) => (cs || []).filter((c) => !spare || !c.Id.startsWith(spare));
const call = (method, path) => new Promise((resolve) => {
  const req = http.request({ socketPath: '/var/run/docker.sock', method, path }, (res) => {
    let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => { try { resolve(JSON.parse(t || 'null')); } catch { resolve(null); } });
  });
  req.on('error', () => resolve(null)); req.end();
});
(async () => {
  // A finished job's container outlives its removed service on each node: the previous sweep's goes now.
  const sweeps = encodeURIComponent(JSON.stringify({ label: ['envtest.sweep'], status: ['exited'] }));
  for (const c of (await call('GET', '/containers/json?all=1&filters=' + sweeps)) || []) {
    if (!c.Id.startsWith(require('node:os').hostname())) await call('DELETE', '/containers/' + c.Id + '?force=1');
  }
  const f = encodeURIComponent(JSON.stringify({ label: ['envtest.run=' + run] }));
  let clean = false;
  for (let pass = 0; pass < 10 && !clean; pass++) {
    const gone = sweepable(await call('GET', '/containers/json?all=1&filters=' + f));
    for (const c of gone) await call('DELETE', '/containers/' + c.Id + '?force=1&v=1');
    const vs = ((await call('GET', '/volumes?filters=' + f)) || {}).Volumes || [];
    for (const v of vs) await call('DELETE', '/volumes/' + encodeURIComponent(v.Name) + '?force=1');
    const still = sweepable(await call('GET', '/containers/json?all=1&filters=' + f));
    const left = (((await call('GET', '/volumes?filters=' + f)) || {}).Volumes || []).length + still.length;
    console.log(JSON.stringify({ swept: run, containers: gone.length, volumes: vs.length, left }));
    clean = left === 0;
    if (!clean) await new Promise((r) => setTimeout(r, 1000));
  }
  if (!clean) return void (process.exitCode = 1);
  // A node lets go of its copy of a removed overlay on its own, once its last endpoint on it is gone:
  // the run is over on this node only then. Nothing here can remove it (it is the swarm's).
  for (let i = 0; i < 100; i++) {
    const nets = (await call('GET', '/networks?filters=' + f)) || [];
    if (!nets.length) return;
    if (i === 99) console.log(JSON.stringify({ swept: run, networksLeft: nets.map((n) => n.Name) }));
    await new Promise((r) => setTimeout(r, 200));
  }
  process.exitCode = 1;
})();
`;

/**
 * The global one-shot job that runs the sweep on every node. The service carries the run's label, so
 * whatever cleans the run by label (a later `down --all --stale`, a test's leftover check) finds a
 * sweep service its launcher could not remove; its containers do not, or the sweep would sweep itself.
 * `spare`: a container of the run the sweep must leave (the reaper running it, which goes last).
 */
export function nodeSweepService(runId: string, image: string, spare?: string): Record<string, unknown> {
  return {
    Name: `envtest-sweep-${runId}`,
    Labels: { 'envtest.sweep': runId, 'envtest.run': runId, 'envtest.role': 'sweep' },
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        // Its exited container stays until the next sweep removes it.
        Labels: { 'envtest.sweep': runId },
        Command: ['node', '-e', NODE_SWEEP_SCRIPT],
        Env: [`ENVTEST_RUN=${runId}`, ...(spare ? [`ENVTEST_SPARE=${spare}`] : [])],
        Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' }],
      },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { GlobalJob: {} },
  };
}
