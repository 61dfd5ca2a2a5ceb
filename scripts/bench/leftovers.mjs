// What the benchmark left on the engine, found with the docker CLI (not with envtest) by label:
// envtest's runs by `envtest.run` (every run id the bench makes starts with its bench id), the compose
// peer by `com.docker.compose.project` (its projects start with the bench id, letters and digits
// only), the limit's containers and the check runners by `envtest.bench`.
import { execa } from 'execa';

// kind, list command, its id and name columns, remove command.
const kinds = [
  ['container', ['ps', '-a'], '{{.ID}}\t{{.Names}}', ['rm', '-f', '-v']],
  ['network', ['network', 'ls'], '{{.ID}}\t{{.Name}}', ['network', 'rm']],
  ['volume', ['volume', 'ls'], '{{.Name}}\t{{.Name}}', ['volume', 'rm', '-f']],
];

async function withLabel(label) {
  const found = [];
  for (const [kind, ls, columns] of kinds) {
    const r = await execa('docker', [...ls, '--filter', `label=${label}`, '--format', `${columns}\t{{.Label "${label}"}}`]);
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [id, name, value] = line.split('\t');
      found.push({ kind, id, name, label, value });
    }
  }
  return found;
}

async function mine(benchId) {
  const composePrefix = benchId.replace(/[^a-z0-9]/g, '');
  const [runs, projects, own] = await Promise.all([withLabel('envtest.run'), withLabel('com.docker.compose.project'), withLabel('envtest.bench')]);
  return [
    ...runs.filter((r) => r.value.startsWith(`${benchId}-`)),
    ...projects.filter((r) => r.value.startsWith(composePrefix)),
    ...own.filter((r) => r.value === benchId),
  ];
}

/** Every resource of this bench still on the engine, as `kind name (label=value)`. */
export async function leftovers(benchId) {
  return {
    checked: ['envtest.run', 'com.docker.compose.project', 'envtest.bench'].map((l) => `label=${l}`),
    found: (await mine(benchId)).map((r) => `${r.kind} ${r.name} (${r.label}=${r.value})`),
  };
}

/** Removes what `leftovers` finds (containers first: a network or volume in use cannot go). */
export async function sweep(benchId) {
  const found = await mine(benchId);
  for (const [kind, , , rm] of kinds) {
    const ids = [...new Set(found.filter((r) => r.kind === kind).map((r) => r.id))];
    if (ids.length) await execa('docker', [...rm, ...ids], { reject: false });
  }
}
