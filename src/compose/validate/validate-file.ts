// Checks one compose file (after interpolation) against what envtest supports: every unknown or
// unsupported key and every type error, each with its file, key path and line.
import type { Problem } from '../../errors.js';
import { composeFileSchema } from '../../model/compose-schema.js';
import { checkKeys } from './keys-check.js';
import { dotted, isPlainObject, lineOf, type KeyPath } from '../key-path.js';
import { schemaProblems } from './schema-issues.js';
import { stubFor } from './stubs.js';
import { COMPOSE_SPEC_KEYS } from './spec-keys.generated.js';
import type { SourceDoc } from '../load/yaml-source.js';

export function problemAt(doc: Pick<SourceDoc, 'display' | 'lines'>, path: KeyPath, message: string, severity?: 'warning'): Problem {
  const line = lineOf(doc.lines, path);
  return {
    file: doc.display,
    ...(path.length ? { path: dotted(path) } : {}),
    ...(line !== undefined ? { line } : {}),
    message,
    ...(severity ? { severity } : {}),
  };
}

export interface ValidatedFile {
  problems: Problem[];
  /** The file as envtest reads it; with problems, the file minus the entries they are in (see salvage). */
  data?: Record<string, unknown>;
}

export function validateFile(doc: SourceDoc): ValidatedFile {
  const problems: Problem[] = [];
  const bad: KeyPath[] = [];
  const report = (p: { path: KeyPath; message: string }) => {
    bad.push(p.path);
    problems.push(problemAt(doc, p.path, p.message));
  };
  checkKeys(doc.data, composeFileSchema, COMPOSE_SPEC_KEYS, report);
  const parsed = composeFileSchema.safeParse(doc.data, { reportInput: true });
  if (!parsed.success) for (const p of schemaProblems(parsed.error.issues, doc.data)) report(p);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (parsed.success && problems.length === 0) return { problems, data: parsed.data as Record<string, unknown> };
  // The rest of the file still goes through the later checks, so every problem shows in one pass:
  // first without exactly the values that have problems, else with the bad entries stubbed out.
  for (const mode of ['precise', 'stub'] as const) {
    const salvaged = salvage(doc.data, bad, mode);
    const reparsed = salvaged && composeFileSchema.safeParse(salvaged);
    if (reparsed?.success) return { problems, data: reparsed.data as Record<string, unknown> };
  }
  return { problems };
}

const DROPPED = Symbol('dropped');

/**
 * The file without what has problems. `precise` drops exactly the bad key or list item of a service,
 * network or volume (services.web.build.cache_to); `stub` replaces the whole entry (stubs.ts).
 * Secrets and configs are always stubbed: without their one source key they would only raise a
 * second, misleading problem. A bad top-level key is dropped. Undefined when a problem concerns
 * the file as a whole.
 */
function salvage(data: unknown, bad: KeyPath[], mode: 'precise' | 'stub'): Record<string, unknown> | undefined {
  if (!isPlainObject(data)) return undefined;
  const out = structuredClone(data) as Record<string | symbol, unknown>;
  for (const path of bad) {
    const [section, entry] = path;
    if (section === undefined) return undefined;
    const map = out[section];
    if (entry === undefined || typeof section !== 'string' || !isPlainObject(map)) {
      delete out[section];
    } else if (mode === 'precise' && path.length >= 3 && section !== 'secrets' && section !== 'configs' && !definesService(path)) {
      dropAt(map, path.slice(1));
    } else {
      map[entry] = stubFor(section, map[entry]);
    }
  }
  return withoutDropped(out) as Record<string, unknown>;
}

/** Without its image or build a service would raise "has neither image nor build": stub it instead. */
function definesService(path: KeyPath): boolean {
  return path[0] === 'services' && path.length === 3 && (path[2] === 'image' || path[2] === 'build');
}

function dropAt(root: Record<string, unknown>, path: KeyPath): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    node = isPlainObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  const last = path.at(-1)!;
  if (Array.isArray(node)) node[last as number] = DROPPED;
  else if (isPlainObject(node)) delete node[last];
}

/** List items are marked rather than spliced while dropping, so later indices stay right. */
function withoutDropped(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== DROPPED).map(withoutDropped);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutDropped(x)]));
  return v;
}
