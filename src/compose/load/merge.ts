// The Compose merge rules for several files (and for `extends`): mappings merge recursively,
// scalars and `command`/`entrypoint`/`healthcheck.test` are replaced, sequences are appended without
// duplicates, volumes merge by target and secrets/configs by target. `!reset` removes a value and
// `!override` replaces it whole. Inputs are in canonical form (see normalize/canonical.ts).
import { isPlainObject, pathId, type KeyPath } from '../key-path.js';
import type { MergeTag } from './yaml-source.js';

export type TagLookup = (path: KeyPath) => MergeTag | undefined;
export const noTags: TagLookup = () => undefined;

/** Paths (relative to a service) whose value is replaced, never merged. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck\0test']);
/** Sequences merged by a key rather than by value. */
const KEYED: Record<string, (item: Record<string, unknown>) => unknown> = {
  volumes: (v) => v.target,
  secrets: (v) => v.target ?? v.source,
  configs: (v) => v.target ?? v.source,
};

export function mergeService(base: unknown, over: unknown, overPath: KeyPath, tags: TagLookup): unknown {
  return mergeValue(base, over, overPath, overPath.length, tags);
}

function mergeValue(base: unknown, over: unknown, path: KeyPath, serviceDepth: number, tags: TagLookup): unknown {
  const rel = pathId(path.slice(serviceDepth));
  if (REPLACED.has(rel)) return over;
  if (isPlainObject(over) && (isPlainObject(base) || base === null || base === undefined)) {
    const out: Record<string, unknown> = { ...(base ?? {}) };
    if (rel === 'logging' && isPlainObject(base) && over.driver !== undefined && over.driver !== base.driver) return { ...over };
    for (const [k, v] of Object.entries(over)) {
      const tag = tags([...path, k]);
      if (tag === 'reset') delete out[k];
      else if (tag === 'override' || !(k in out)) out[k] = stripResets(v, [...path, k], tags);
      else out[k] = mergeValue(out[k], v, [...path, k], serviceDepth, tags);
    }
    return out;
  }
  if (Array.isArray(over) && Array.isArray(base)) {
    const keyOf = path.length === serviceDepth + 1 ? KEYED[String(path[serviceDepth])] : undefined;
    if (keyOf) {
      const byKey = new Map<unknown, unknown>(base.map((b) => [keyOf(b as Record<string, unknown>), b]));
      for (const o of over) byKey.set(keyOf(o as Record<string, unknown>), o);
      return [...byKey.values()];
    }
    const seen = new Set(base.map((b) => JSON.stringify(b)));
    return [...base, ...over.filter((o) => !seen.has(JSON.stringify(o)))];
  }
  return over;
}

/** A value taken as it is may still carry `!reset` children (meaningless without a base): drop them. */
function stripResets(value: unknown, path: KeyPath, tags: TagLookup): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (tags([...path, k]) !== 'reset') out[k] = stripResets(v, [...path, k], tags);
  return out;
}

const RESOURCE_SECTIONS = ['networks', 'volumes', 'secrets', 'configs'] as const;

/** Merges a later compose file into the project so far. */
export function mergeFiles(base: Record<string, unknown>, over: Record<string, unknown>, tags: TagLookup): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (tags([key]) === 'reset') {
      delete out[key];
    } else if (key === 'services' && isPlainObject(value)) {
      const services: Record<string, unknown> = { ...((out.services as Record<string, unknown> | undefined) ?? {}) };
      for (const [name, svc] of Object.entries(value)) {
        const p = ['services', name];
        if (tags(p) === 'reset') delete services[name];
        else services[name] = tags(p) === 'override' ? stripResets(svc, p, tags) : mergeService(services[name] ?? {}, svc, p, tags);
      }
      out.services = services;
    } else if ((RESOURCE_SECTIONS as readonly string[]).includes(key) || key.startsWith('x-')) {
      out[key] = mergeValue(out[key] ?? {}, value ?? {}, [key], 0, tags);
    } else {
      out[key] = value;
    }
  }
  return out;
}
