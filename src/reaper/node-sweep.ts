// What one swarm node runs to remove the run's leftovers only it can see: a node's volumes (and any
// container of the run still on it) are invisible to the manager. Run as a global one-shot job, so
// the swarm schedules it once on every node; node alone, through the mounted engine socket.
export const NODE_SWEEP_SCRIPT = `
const http = require('node:http');
const run = process.env.ENVTEST_RUN;
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
  for (let pass = 0; pass < 10; pass++) {
    const cs = (await call('GET', '/containers/json?all=1&filters=' + f)) || [];
    for (const c of cs) await call('DELETE', '/containers/' + c.Id + '?force=1&v=1');
    const vs = ((await call('GET', '/volumes?filters=' + f)) || {}).Volumes || [];
    for (const v of vs) await call('DELETE', '/volumes/' + encodeURIComponent(v.Name) + '?force=1');
    const left = (((await call('GET', '/volumes?filters=' + f)) || {}).Volumes || []).length + ((await call('GET', '/containers/json?all=1&filters=' + f)) || []).length;
    console.log(JSON.stringify({ swept: run, containers: cs.length, volumes: vs.length, left }));
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.exitCode = 1;
})();
`;
