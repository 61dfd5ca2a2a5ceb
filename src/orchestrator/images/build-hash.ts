// What a build's result depends on, as one hash: the files of its context (after .dockerignore,
// as they are sent), the Dockerfile, the build arguments, target and options, and the ids of the
// local base images it starts FROM. Equal hashes build equal images, so an image labelled with the
// same hash is used as it is instead of being built again. Where the result could differ anyway
// (a base image to pull, no cache asked for, a base image named through an unknown variable) there
// is no hash, and the build runs.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { contextEntries } from '../../runtime/context-files.js';
import { LABEL } from '../../runtime/labels.js';
import type { BuildSpec, Backend } from '../../runtime/backend.js';

/** The image label that carries the hash of what built it. */
export const BUILD_HASH_LABEL = LABEL.buildHash;
/** Bumped whenever what goes into the hash changes, so no older image is taken for a newer one. */
const HASH_VERSION = 'envtest-build-hash/1';

/** Where a build's base images are looked up: the runtime, or a run's memo of it. */
export type BaseImages = Pick<Backend, 'inspectImage'>;

export async function buildHash(runtime: BaseImages, spec: BuildSpec): Promise<string | undefined> {
  if (spec.noCache || spec.pull) return undefined;
  const dockerfileName = spec.dockerfile ?? 'Dockerfile';
  const dockerfile = spec.dockerfileInline ?? readDockerfile(spec.context, dockerfileName);
  if (dockerfile === undefined) return undefined; // the build will say what is missing
  const bases = baseImages(dockerfile, spec.args ?? {});
  if (!bases) return undefined;
  const hash = createHash('sha256');
  const { labels, context: _context, tag: _tag, ...options } = spec;
  const ownLabels = Object.fromEntries(Object.entries(labels ?? {}).filter(([key]) => key !== BUILD_HASH_LABEL));
  hash.update(JSON.stringify([HASH_VERSION, sorted({ ...options, labels: ownLabels, args: spec.args ?? {} }), dockerfile]));
  for (const base of bases) {
    const found = await runtime.inspectImage(base);
    if (!found) return undefined; // pulled by the build: what it gets is not known here
    hash.update(`\0base ${base} ${found.id}`);
  }
  for (const { path, stat } of contextEntries(spec.context, dockerfileName)) {
    // Mode and content, not times or owners: a fresh checkout of the same files is the same build.
    hash.update(`\0${path}\0${stat.mode.toString(8)}\0`);
    if (stat.isFile()) for await (const chunk of createReadStream(join(spec.context, path))) hash.update(chunk as Buffer);
    else if (stat.isSymbolicLink()) hash.update(`-> ${readlinkSync(join(spec.context, path))}`); // sent as a link, not its target
  }
  return hash.digest('hex');
}

function readDockerfile(context: string, name: string): string | undefined {
  try {
    return readFileSync(join(context, name), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Pure: the external images a Dockerfile builds from (`FROM` and `COPY --from`), with build
 * arguments and the defaults of `ARG`s before the first `FROM` put in; stages it names itself are
 * left out. Undefined when a name still holds a variable it cannot resolve.
 */
export function baseImages(dockerfile: string, args: Record<string, string>): string[] | undefined {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim());
  const globals: Record<string, string> = {};
  const stages = new Set<string>();
  const images = new Set<string>();
  let seenFrom = false;
  const expand = (text: string) => text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a?: string, b?: string) => args[(a ?? b)!] ?? globals[(a ?? b)!] ?? _m);
  const note = (ref: string) => {
    const name = expand(ref);
    if (stages.has(name.toLowerCase()) || /^\d+$/.test(name) || name === 'scratch') return true;
    if (name.includes('$')) return false;
    images.add(name);
    return true;
  };
  for (const line of lines) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg && !seenFrom) globals[arg[1]!] = (arg[2] ?? '').replace(/^"(.*)"$/, '$1');
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      seenFrom = true;
      if (!note(from[1]!)) return undefined;
      if (from[2]) stages.add(from[2].toLowerCase());
    }
    const copyFrom = /^COPY\b.*--from=(\S+)/i.exec(line);
    if (copyFrom && !note(copyFrom[1]!)) return undefined;
  }
  return [...images].sort();
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
  return value;
}
