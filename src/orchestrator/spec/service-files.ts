// Services' secrets and configs: read on the host (a file, a variable of envtest's environment, or
// inline content) and copied into each container before it starts, through the engine API, so
// they work on remote engines too. Secrets land in /run/secrets/<source> (or their target),
// configs in /<source> (or their target), mode 0444 unless the service says otherwise.
import { modeBits } from '../../model/compose-units.js';
import { readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { ValidationError, type Problem } from '../../errors.js';
import type { ComposeProject, FileResourceConfig, LoadedProject, ServiceConfig } from '../../model/project.js';
import type { FileCopy } from '../../runtime/backend.js';
import { dropDirectories, targetPath } from './read-only-files.js';

type Env = Record<string, string | undefined>;
type Kind = 'secrets' | 'configs';
const KINDS: readonly Kind[] = ['secrets', 'configs'];

export interface ServiceFile {
  /** Absolute path in the container. */
  path: string;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

type Read = { content: Buffer } | { problem: Problem };

type Locate = LoadedProject['locate'];

function readSource(project: ComposeProject, kind: Kind, name: string, env: Env, locate?: Locate): Read {
  const def = project[kind]?.[name] ?? {};
  const what = `${kind === 'secrets' ? 'secret' : 'config'} "${name}"`;
  const swarmOnly = swarmSetting(def);
  if (swarmOnly) {
    // As `docker compose up` does outside a Swarm: the file loads, a service using it does not start.
    const sources = kind === 'secrets' ? 'file or environment' : 'file, environment or content';
    const message = `${what} is used by a service but ${swarmOnly === 'external' ? 'is external: its content is kept by a Swarm' : `has a ${swarmOnly}: a Swarm setting`}; not supported (docker compose up refuses it too; not planned): give its content with ${sources}`;
    return { problem: { ...locate?.([kind, name, swarmOnly]), path: `${kind}.${name}.${swarmOnly}`, message } };
  }
  if (def.file !== undefined) {
    const problem = { path: `${kind}.${name}.file`, message: `${what} reads ${def.file}, which does not exist` };
    try {
      if (!statSync(def.file).isFile()) return { problem: { ...problem, message: `${what} reads ${def.file}, which is not a file` } };
      return { content: readFileSync(def.file) };
    } catch {
      return { problem };
    }
  }
  if (def.environment !== undefined) {
    const value = env[def.environment];
    if (value === undefined) return { problem: { path: `${kind}.${name}.environment`, message: `${what} reads variable ${def.environment}, which is not set` } };
    return { content: Buffer.from(value) };
  }
  if (def.content !== undefined) return { content: Buffer.from(def.content) };
  // The loader refuses definitions without a source; a project made in code may still lack one.
  return { problem: { path: `${kind}.${name}`, message: `${what} is not defined, or has no file, environment or content` } };
}

function swarmSetting(def: FileResourceConfig): 'external' | 'driver' | 'template_driver' | undefined {
  if (def.external) return 'external';
  if (def.driver !== undefined) return 'driver';
  if (def.template_driver !== undefined) return 'template_driver';
  return undefined;
}

function collect(project: ComposeProject, services: string[], env: Env, locate?: Locate): { files: Record<string, ServiceFile[]>; problems: Problem[] } {
  const problems = new Map<string, Problem>();
  const files: Record<string, ServiceFile[]> = {};
  for (const service of services) {
    const config = project.services[service]!;
    files[service] = KINDS.flatMap((kind) =>
      (config[kind] ?? []).flatMap((ref) => {
        const read = readSource(project, kind, ref.source, env, locate);
        if ('problem' in read) {
          problems.set(read.problem.path!, read.problem);
          return [];
        }
        return [{ path: targetPath(kind, ref), content: read.content, mode: ref.mode === undefined ? 0o444 : modeBits(ref.mode), uid: Number(ref.uid ?? 0), gid: Number(ref.gid ?? 0) }];
      }),
    );
  }
  return { files, problems: [...problems.values()] };
}

/** Every secret and config of every service can be read; throws a ValidationError naming each one that cannot. */
export function checkServiceFiles(project: ComposeProject, env: Env = process.env, locate?: Locate): void {
  const { problems } = collect(project, Object.keys(project.services), env, locate);
  if (problems.length) throw new ValidationError(problems, 'compose project');
}

/** The files one service gets, read now. */
export function serviceFiles(project: ComposeProject, service: string, env: Env = process.env): ServiceFile[] {
  const { files, problems } = collect(project, [service], env);
  if (problems.length) throw new ValidationError(problems, 'compose project');
  return files[service]!;
}

/** The contents of every secret that can be read, for redaction (trimmed too: files end in a newline). */
export function secretContents(project: ComposeProject | undefined, env: Env = process.env): string[] {
  const out = new Set<string>();
  for (const name of Object.keys(project?.secrets ?? {})) {
    const read = readSource(project!, 'secrets', name, env);
    if (!('content' in read)) continue;
    const text = read.content.toString('utf8');
    out.add(text).add(text.trim());
    // A multi-line secret (a key file) leaks line by line too.
    for (const line of text.split('\n')) if (line.trim()) out.add(line.trim());
  }
  return [...out];
}

/** The files to copy, each with the writable directory that holds it on a read-only root. */
export function filesToCopy(config: ServiceConfig, files: ServiceFile[]): FileCopy[] {
  const within = new Map<string, string>();
  for (const [dir, paths] of dropDirectories(config, files.map((f) => f.path))) for (const p of paths) within.set(p, dir);
  return files.map((f) => ({ ...f, within: within.get(f.path) ?? '/' }));
}
