// What the benchmark left on the engine, found with the docker CLI (not with envtest) by label:
// envtest's runs by `envtest.run` (every run id the bench makes starts with its bench id), the compose
// peer by `com.docker.compose.project` (its projects start with the bench id, letters and digits
// only), the limit's containers and the check runners by `envtest.bench`.
import { execa } from 'execa';

const kinds = [['container', ['ps', '-a']], ['network', ['network', 'ls']], ['volume', ['volume', 'ls']]];

async function withLabel(label) {
  const found = [];
  for (const [kind, ls] of kinds) {
    const r = await execa('docker', [...ls, '--filter', `label=${label}`, '--format', `{{.Name}}\t{{.Label "${label}"}}`], { reject: false });
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [name, value] = line.split('\t');
      found.push({ kind, name: name || '', label, value });
    }
  }
  return found;
}

/** Every resource of this bench still on the engine, as `kind name (label=value)`. */
export async function leftovers(benchId) {
  const composePrefix = benchId.replace(/[^a-z0-9]/g, '');
  const [runs, projects, own] = await Promise.all([withLabel('envtest.run'), withLabel('com.docker.compose.project'), withLabel('envtest.bench')]);
  const mine = [
    ...runs.filter((r) => r.value.startsWith(`${benchId}-`)),
    ...projects.filter((r) => r.value.startsWith(composePrefix)),
    ...own.filter((r) => r.value === benchId),
  ];
  return {
    checked: ['envtest.run', 'com.docker.compose.project', 'envtest.bench'].map((l) => `label=${l}`),
    found: mine.map((r) => `${r.kind} ${r.name} (${r.label}=${r.value})`),
  };
}
