// What a run saves so that `envtest reproduce` can bring the same environment back elsewhere: the
// normalized compose model, the suites, the images (ids and repo digests), the options, envtest's
// version and command line. Secrets never go in: every secret value is replaced by a `${NAME}`
// reference to the variable it came from, and only the names are listed. Pure.
import type { ComposeProject } from '../model/project.js';
import type { Suite } from '../model/suite.js';
import { isSecretName } from '../text/redact.js';

export const RECORD_FILE = 'reproduce.json';
export const RECORD_FORMAT = 1;

export interface RecordedImage {
  ref: string;
  /** Absent when the image could not be inspected. */
  id?: string;
  repoDigests: string[];
}

export interface RunRecord {
  format: typeof RECORD_FORMAT;
  envtest: { version: string; commandLine: string[] };
  runId: string;
  /** Names of the variables whose values were replaced by `${NAME}` in `project` and `suites`. */
  secrets: string[];
  project: ComposeProject;
  suites: Suite[];
  images: Record<string, RecordedImage>;
  options: { egress?: boolean; publish?: 'free' | 'declared'; timeoutMs?: number; concurrency?: number; sidecarImage?: string };
}

/** Secret values shorter than this are left alone, as the redactor does. */
const MIN_SECRET_LENGTH = 4;

/**
 * name → value of every secret the run knew: variables of the environment whose names look secret
 * first (the name the user sets), then secret-looking keys in the services and suites (a literal
 * `APP_PASSWORD: …` in a compose file is named by its key).
 */
export function secretsOf(environment: Record<string, string | undefined>, project: ComposeProject, suites: Suite[]): Map<string, string> {
  const byValue = new Map<string, string>();
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && isSecretName(name) && !byValue.has(value)) byValue.set(value, name);
  };
  for (const [k, v] of Object.entries(environment)) add(k, v);
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') add(k, x);
      else walk(x);
    }
  };
  walk(project.services);
  walk(suites.map((s) => s.checks.map((c) => c.options)));
  return new Map([...byValue].map(([value, name]) => [name, value]));
}

/** A copy of `value` with each secret replaced by `${NAME}`; `used` collects the names that occurred. */
export function withSecretNames<T>(value: T, secrets: Map<string, string>, used: Set<string>): T {
  // Longest first: a secret that contains another is replaced whole.
  const pairs = [...secrets].sort((a, b) => b[1].length - a[1].length);
  const replace = (text: string) => {
    let out = text;
    for (const [name, secret] of pairs) {
      if (!out.includes(secret)) continue;
      out = out.split(secret).join(`\${${name}}`);
      used.add(name);
    }
    return out;
  };
  return mapStrings(value, replace);
}

/** A deep copy of plain data with every string passed through `f`. */
function mapStrings<T>(value: T, f: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value) as T;
}

export function buildRecord(input: Omit<RunRecord, 'format' | 'secrets'> & { environment: Record<string, string | undefined> }): RunRecord {
  const secrets = secretsOf(input.environment, input.project, input.suites);
  const used = new Set<string>();
  const project = withSecretNames(input.project, secrets, used);
  const suites = withSecretNames(input.suites, secrets, used);
  const commandLine = withSecretNames(input.envtest.commandLine, secrets, used);
  return {
    format: RECORD_FORMAT,
    envtest: { version: input.envtest.version, commandLine },
    runId: input.runId,
    secrets: [...used].sort(),
    project,
    suites,
    images: input.images,
    options: input.options,
  };
}

/**
 * The record with each `${NAME}` of its secrets filled from `environment`; `missing` names the
 * ones it does not have (the caller refuses to start without them).
 */
export function restoreSecrets(record: RunRecord, environment: Record<string, string | undefined>): { project: ComposeProject; suites: Suite[]; missing: string[] } {
  const missing = record.secrets.filter((name) => environment[name] === undefined);
  const fill = (text: string) => record.secrets.reduce((out, name) => (environment[name] === undefined ? out : out.split(`\${${name}}`).join(environment[name]!)), text);
  return { project: mapStrings(record.project, fill), suites: mapStrings(record.suites, fill), missing };
}
