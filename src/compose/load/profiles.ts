// Profiles decide which services exist in this run. A service without profiles is always on; one
// with profiles is on when any of them is active (or `*` is). Depending on a service that is off is
// an error when the dependency is required, as in Compose, since nothing would start it.
import { isPlainObject, type KeyPath } from '../key-path.js';

export interface ProfileProblem {
  path: KeyPath;
  message: string;
  severity?: 'warning';
}

export function isActive(service: Record<string, unknown>, active: ReadonlySet<string>): boolean {
  const profiles = service.profiles as string[] | undefined;
  return !profiles || profiles.length === 0 || active.has('*') || profiles.some((p) => active.has(p));
}

export function allProfiles(services: Record<string, Record<string, unknown>>): string[] {
  return [...new Set(Object.values(services).flatMap((s) => (s.profiles as string[] | undefined) ?? []))].sort();
}

/** Active services, with optional dependencies on inactive ones dropped (and reported). */
export function selectServices(
  services: Record<string, Record<string, unknown>>,
  active: ReadonlySet<string>,
  report: (p: ProfileProblem) => void,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isActive(svc, active)) continue;
    const deps = isPlainObject(svc.depends_on) ? { ...(svc.depends_on as Record<string, { required?: boolean }>) } : undefined;
    for (const [dep, d] of Object.entries(deps ?? {})) {
      const target = services[dep];
      // Unknown services stay: the planner reports them with the rest of the graph.
      if (!target || isActive(target, active)) continue;
      const profiles = (target.profiles as string[]).map((p) => `--profile ${p}`).join(' or ');
      const path = ['services', name, 'depends_on', dep];
      if (d.required === false) {
        report({ path, severity: 'warning', message: `optional dependency "${dep}" is not enabled (it needs ${profiles}) and is skipped` });
        delete deps![dep];
      } else {
        report({ path, message: `depends on "${dep}", which is not enabled: it needs ${profiles}; activate it, or set required: false` });
      }
    }
    out[name] = deps ? { ...svc, depends_on: deps } : svc;
  }
  return out;
}
