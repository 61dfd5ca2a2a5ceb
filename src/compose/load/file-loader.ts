// Loads one compose file into canonical form: read, parse, interpolate, validate, canonicalize,
// make paths absolute, then pull in its `include`s and resolve its `extends`. Every problem goes to
// the context so the caller can report them all at once. File access goes through `ctx.read`.
import { dirname, resolve } from 'node:path';
import type { Problem } from '../../errors.js';
import { canonicalFile } from '../normalize/canonical.js';
import { didYouMean } from '../../text/did-you-mean.js';
import { layered, lookupIn, readEnvFiles, type Env, type ReadText } from './environment.js';
import { interpolateTree } from './interpolate.js';
import { isPlainObject, pathId, type KeyPath } from '../key-path.js';
import { mergeFiles, mergeService, type TagLookup } from './merge.js';
import { resolveFilePaths } from './paths.js';
import { stubFor } from '../validate/stubs.js';
import { problemAt, validateFile } from '../validate/validate-file.js';
import { parseComposeYaml, type SourceDoc } from './yaml-source.js';

export interface LoadContext {
  read: ReadText;
  exists: (path: string) => Promise<boolean>;
  display: (path: string) => string;
  problems: Problem[];
  warnings: Problem[];
  /** Every file loaded, so problems found after merging can still name a file and line. */
  docs: SourceDoc[];
  /** Files loaded as `extends: {file}` targets, by path and extended service. */
  cache: Map<string, Promise<LoadedFile | undefined>>;
  unsetWarned: Set<string>;
}

export interface LoadedFile {
  /** The first document (a file may hold several, merged in order). */
  doc: SourceDoc;
  data: Record<string, unknown>;
  /** The `!reset` / `!override` tags of all its documents. */
  tags: TagLookup;
}

export function tagsOf(doc: SourceDoc): TagLookup {
  return (path) => doc.tags.get(pathId(path));
}

/** Where a file was referenced from (`include`, `extends`), so a missing file is reported there. */
export interface Referrer {
  doc: SourceDoc;
  path: KeyPath;
}

export async function loadComposeFile(
  ctx: LoadContext,
  file: string,
  env: Env,
  baseDir: string,
  stack: string[] = [],
  referrer?: Referrer,
  /** Loaded for `extends` of this service: only it (and its own base services) are checked. */
  only?: string,
): Promise<LoadedFile | undefined> {
  const display = ctx.display(file);
  const text = await ctx.read(file);
  if (text === undefined) {
    ctx.problems.push(
      referrer ? problemAt(referrer.doc, referrer.path, `compose file ${display} not found`) : { file: display, message: 'compose file not found' },
    );
    return undefined;
  }
  const parsed = parseComposeYaml(text, file, display);
  if (!parsed.ok) {
    ctx.problems.push(...parsed.problems);
    return undefined;
  }
  let data: Record<string, unknown> | undefined;
  for (const doc of parsed.docs) {
    if (only !== undefined) doc.data = extendedPart(doc.data, only);
    const loaded = await loadDocument(ctx, doc, env, baseDir, [...stack, file]);
    if (loaded) data = data ? mergeFiles(data, loaded, tagsOf(doc)) : loaded;
  }
  const docs = parsed.docs;
  return data && { doc: docs[0]!, data, tags: (path) => docs.map((d) => tagsOf(d)(path)).find(Boolean) };
}

/**
 * From a file loaded for `extends`, only the extended service and what it extends within that file:
 * compose-go checks the result of the extension, not the file's other services.
 */
function extendedPart(data: Record<string, unknown>, service: string): Record<string, unknown> {
  const services = isPlainObject(data.services) ? data.services : {};
  const keep: Record<string, unknown> = {};
  for (let name: string | undefined = service; name !== undefined && name in services && !(name in keep); ) {
    const svc: unknown = services[name];
    keep[name] = svc;
    const ext = isPlainObject(svc) ? svc.extends : undefined;
    name = typeof ext === 'string' ? ext : isPlainObject(ext) && ext.file === undefined && typeof ext.service === 'string' ? ext.service : undefined;
  }
  return { services: keep };
}

async function loadDocument(ctx: LoadContext, doc: SourceDoc, env: Env, baseDir: string, stack: string[]): Promise<Record<string, unknown> | undefined> {
  ctx.docs.push(doc);
  const before = ctx.problems.length;
  doc.data = interpolateTree(
    doc.data,
    lookupIn(env),
    (p) => ctx.problems.push(problemAt(doc, p.path, p.message)),
    (name, path) => {
      if (ctx.unsetWarned.has(name)) return;
      ctx.unsetWarned.add(name);
      ctx.warnings.push(problemAt(doc, path, `variable ${name} is not set; using an empty string`, 'warning'));
    },
  ) as Record<string, unknown>;
  const validated = validateFile(doc);
  ctx.problems.push(...validated.problems);
  // Interpolation and schema problems of one file, in file order.
  const mine = ctx.problems.splice(before).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  ctx.problems.push(...mine);
  if (!validated.data) return undefined;
  if (validated.data.version !== undefined) {
    ctx.warnings.push(problemAt(doc, ['version'], '`version` is obsolete and ignored', 'warning'));
  }
  const { version: _obsolete, ...rest } = validated.data;
  let data = canonicalFile(rest, (path, message) => ctx.problems.push(problemAt(doc, path, message)));
  data = resolveFilePaths(data, baseDir);
  data = await applyIncludes(ctx, doc, data, env, stack);
  data = await applyExtends(ctx, doc, data, env, baseDir, stack);
  // With problems the file still takes part, so later checks can report theirs in the same pass.
  return data;
}

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

async function applyIncludes(ctx: LoadContext, doc: SourceDoc, data: Record<string, unknown>, env: Env, stack: string[]): Promise<Record<string, unknown>> {
  const entries = data.include as unknown[] | undefined;
  const { include: _done, ...out } = data;
  if (!entries) return out;
  const here = dirname(doc.file);
  for (const [i, entry] of entries.entries()) {
    const at: KeyPath = ['include', i];
    const long = typeof entry === 'string' ? { path: entry } : (entry as { path: unknown; env_file?: unknown; project_directory?: string });
    const files = asList(long.path).map((p) => resolve(here, p));
    const cycle = files.find((f) => stack.includes(f));
    if (cycle) {
      ctx.problems.push(problemAt(doc, at, `include cycle: ${[...stack, cycle].map(ctx.display).join(' -> ')}`));
      continue;
    }
    const projectDir = long.project_directory ? resolve(here, long.project_directory) : dirname(files[0]!);
    const envFiles = long.env_file !== undefined ? asList(long.env_file).map((p) => resolve(here, p)) : [resolve(projectDir, '.env')];
    const present = [];
    for (const f of envFiles) if (long.env_file !== undefined || (await ctx.exists(f))) present.push({ path: f, display: ctx.display(f) });
    // The including project's variables win over the included project's own env files.
    const fileVars = await readEnvFiles(ctx.read, present, env, ctx.problems);
    const includedEnv = layered(env, fileVars);
    let merged: Record<string, unknown> | undefined;
    for (const f of files) {
      const loaded = await loadComposeFile(ctx, f, includedEnv, projectDir, stack, { doc, path: at });
      if (loaded) merged = merged ? mergeFiles(merged, loaded.data, loaded.tags) : loaded.data;
    }
    if (!merged) continue;
    merged = withIncludedEnvironment(merged, includedEnv);
    for (const section of RESOURCES) {
      const incoming = merged[section];
      if (!isPlainObject(incoming)) continue;
      const target = { ...((out[section] as Record<string, unknown> | undefined) ?? {}) };
      for (const [name, def] of Object.entries(incoming)) {
        if (name in target && JSON.stringify(target[name]) !== JSON.stringify(def)) {
          ctx.problems.push(
            problemAt(doc, [section, name], `${section}.${name} is also defined by included ${files.map(ctx.display).join(', ')}; Compose refuses such conflicts: rename one`),
          );
        } else {
          target[name] = def;
        }
      }
      out[section] = target;
    }
  }
  return out;
}

/** `extends.file` is relative to the directory the file's other paths are relative to (compose-go's resource loader). */
async function applyExtends(ctx: LoadContext, doc: SourceDoc, data: Record<string, unknown>, env: Env, baseDir: string, stack: string[]): Promise<Record<string, unknown>> {
  const services = data.services as Record<string, Record<string, unknown>> | undefined;
  if (!services) return data;
  const resolved = new Map<string, Record<string, unknown> | undefined>();

  const resolveOne = async (name: string, chain: string[]): Promise<Record<string, unknown> | undefined> => {
    if (resolved.has(name)) return resolved.get(name);
    const svc = services[name]!;
    const ext = svc.extends as string | { service: string; file?: string } | undefined;
    if (ext === undefined) return svc;
    const at: KeyPath = ['services', name, 'extends'];
    const { extends: _done, ...local } = svc;
    const ref = typeof ext === 'string' ? { service: ext } : ext;
    let base: Record<string, unknown> | undefined;
    if (ref.file === undefined) {
      if (chain.includes(ref.service)) {
        ctx.problems.push(problemAt(doc, at, `extends cycle: ${[...chain, name, ref.service].join(' -> ')}`));
      } else if (!(ref.service in services)) {
        const guess = didYouMean(ref.service, Object.keys(services));
        ctx.problems.push(problemAt(doc, at, `service "${ref.service}" to extend is not defined in this file${guess ? `; did you mean "${guess}"?` : ''}`));
      } else {
        base = await resolveOne(ref.service, [...chain, name]);
      }
    } else {
      const file = resolve(baseDir, ref.file);
      if (stack.includes(file)) {
        ctx.problems.push(problemAt(doc, at, `extends cycle between files: ${[...stack, file].map(ctx.display).join(' -> ')}`));
      } else {
        const key = `${file}\0${ref.service}`;
        if (!ctx.cache.has(key)) ctx.cache.set(key, loadComposeFile(ctx, file, env, dirname(file), stack, { doc, path: at }, ref.service));
        const other = await ctx.cache.get(key)!;
        const otherServices = (other?.data.services ?? {}) as Record<string, Record<string, unknown>>;
        if (other && !(ref.service in otherServices)) {
          const guess = didYouMean(ref.service, Object.keys(otherServices));
          ctx.problems.push(problemAt(doc, at, `service "${ref.service}" to extend is not defined in ${ctx.display(file)}${guess ? `; did you mean "${guess}"?` : ''}`));
        }
        base = otherServices[ref.service];
      }
    }
    const result = base ? (mergeService(base, local, ['services', name], tagsOf(doc)) as Record<string, unknown>) : undefined;
    resolved.set(name, result);
    return result;
  };

  const out: Record<string, unknown> = {};
  // A service whose extends failed (its problem is reported) becomes a stub, not half a service.
  for (const name of Object.keys(services)) out[name] = (await resolveOne(name, [])) ?? (services[name]!.extends === undefined ? services[name] : stubFor('services', services[name]));
  return { ...data, services: out };
}


/** Bare `environment: [VAR]` entries of included services read the included project's variables. */
function withIncludedEnvironment(data: Record<string, unknown>, env: Env): Record<string, unknown> {
  if (!isPlainObject(data.services)) return data;
  const services = Object.fromEntries(
    Object.entries(data.services).map(([name, svc]) => {
      const environment = isPlainObject(svc) && isPlainObject(svc.environment) ? svc.environment : undefined;
      if (!environment) return [name, svc];
      const filled = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v === null && env[k] !== undefined ? env[k] : v]));
      return [name, { ...(svc as object), environment: filled }];
    }),
  );
  return { ...data, services };
}
