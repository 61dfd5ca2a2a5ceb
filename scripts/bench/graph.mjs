// The depends_on graph of a stack as `envtest config --format json` prints it: an order to start
// services one at a time, and the longest chain by the services' own times.

/** A service's depends_on as { name: { condition } } (the short list form means service_started). */
export function dependsOn(svc) {
  const d = svc.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, { condition: 'service_started' }])) : d;
}

/** Services in an order where each comes after everything it depends on. */
export function dependencyOrder(model) {
  const order = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(dependsOn(model.services[name]))) if (model.services[dep]) visit(dep);
    order.push(name);
  };
  for (const name of Object.keys(model.services).sort()) visit(name);
  return order;
}

/** The longest chain by the sum of own times: { ms, chain }. */
export function criticalPath(model, ownMs) {
  const memo = new Map();
  const path = (name) => {
    if (memo.has(name)) return memo.get(name);
    let best = { ms: 0, chain: [] };
    for (const dep of Object.keys(dependsOn(model.services[name]))) {
      if (!model.services[dep]) continue;
      const p = path(dep);
      if (p.ms > best.ms) best = p;
    }
    const result = { ms: best.ms + ownMs[name], chain: [...best.chain, name] };
    memo.set(name, result);
    return result;
  };
  return Object.keys(model.services).map(path).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] });
}
