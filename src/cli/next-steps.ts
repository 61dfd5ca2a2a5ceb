// What to type next when an environment is left up on purpose (`run --keep`, `--keep-on-failure`,
// `reproduce --keep`): reach its ports, open a shell, read its logs, remove it.
import type { ComposeProject } from '../model/project.js';

export function nextStepLines(runId: string, project: ComposeProject | undefined): string[] {
  const targets = forwardTargets(project);
  return [
    `environment ${runId} is still up; next:`,
    `  envtest forward ${runId} ${targets.length ? targets.join(' ') : 'SERVICE:PORT'}`,
    `  envtest shell ${runId}`,
    `  envtest logs ${runId} -f`,
    `  envtest down ${runId}`,
  ];
}

/** Every TCP port a service declares (`ports:` targets and `expose:`), as SERVICE:PORT. */
function forwardTargets(project: ComposeProject | undefined): string[] {
  const out = new Set<string>();
  for (const [name, s] of Object.entries(project?.services ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const p of s.ports ?? []) if (p.protocol === 'tcp' || !p.protocol) out.add(`${name}:${p.target}`);
    for (const e of s.expose ?? []) {
      const m = /^(\d+)(?:-\d+)?(?:\/(\w+))?$/.exec(String(e));
      if (m && (!m[2] || m[2] === 'tcp')) out.add(`${name}:${m[1]}`);
    }
  }
  return [...out];
}
