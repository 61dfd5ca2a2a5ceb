// Stand-ins for entries that already have a problem. They let the rest of a project go through the
// later checks (so every problem is reported in one pass) without each broken entry causing a
// second, misleading problem elsewhere ("has neither image nor build", "depends on unknown service").
import { isPlainObject } from '../key-path.js';

/** A stand-in for the entry `name` of top-level `section`, keeping the service's profiles. */
export function stubFor(section: string, original: unknown): Record<string, unknown> {
  if (section === 'services') {
    const profiles = isPlainObject(original) && Array.isArray(original.profiles) && original.profiles.every((p) => typeof p === 'string') ? { profiles: original.profiles } : {};
    return { image: 'envtest-invalid-service', ...profiles };
  }
  if (section === 'secrets' || section === 'configs') return { file: '/dev/null' };
  return {};
}
