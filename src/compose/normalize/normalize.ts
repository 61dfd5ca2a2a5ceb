// The merged, canonical project to the final shape of `docker compose config --format json`:
// defaults filled in, strings split into argv, variables in `environment` resolved, resource names
// prefixed with the project name, the implicit default network added. Pure.
import type { ComposeProject, ServiceConfig } from '../../model/project.js';
import { goDuration, octalMode } from '../../model/compose-units.js';
import { canonicalUnits } from './units.js';
import type { Lookup } from '../load/interpolate.js';
import { isPlainObject, type KeyPath } from '../key-path.js';
import { checkServiceNames } from './service-names.js';
import { shellSplit, ShellSplitError } from './shell-split.js';
import { checkFixedAddresses, checkResourceValues, checkServiceValues } from '../validate/supported-values.js';

export interface NormalizeInput {
  name: string;
  /** Where the project will run: which `deploy:` keys are honoured, and so which are warned about as ignored. */
  backend?: 'docker' | 'swarm';
  data: Record<string, unknown>;
  /** Only the services of active profiles (see load/profiles.ts). */
  services: Record<string, Record<string, unknown>>;
  lookup: Lookup;
  /** Contents of each service `env_file`, by absolute path; undefined when the file is missing. */
  envFiles: ReadonlyMap<string, Record<string, string> | undefined>;
}

export interface NormalizeProblem {
  path: KeyPath;
  message: string;
  severity?: 'warning';
}

type Dict = Record<string, unknown>;

const toStr = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const duration = (v: unknown): string => goDuration(v as string | number);

function stringMap(m: unknown, fill: (k: string) => string | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries((m as Dict | undefined) ?? {})) out[k] = v === null || v === undefined ? fill(k) : toStr(v);
  return out;
}

export function normalizeProject(input: NormalizeInput, report: (p: NormalizeProblem) => void): ComposeProject {
  const { data, name } = input;
  const declared = {
    networks: (data.networks as Dict | undefined) ?? {},
    volumes: (data.volumes as Dict | undefined) ?? {},
    secrets: (data.secrets as Dict | undefined) ?? {},
    configs: (data.configs as Dict | undefined) ?? {},
  };
  checkResourceValues(data, report);
  checkServiceNames(input.services, report);
  const services: Record<string, ServiceConfig> = {};
  let usesDefaultNetwork = false;
  for (const svcName of Object.keys(input.services).sort()) {
    const svc = normalizeService(svcName, input.services[svcName]!, input, declared, report);
    if (svc.networks && 'default' in svc.networks) usesDefaultNetwork = true;
    services[svcName] = svc;
  }
  const project: ComposeProject = { name, services };
  const networks = named(declared.networks, name);
  if (usesDefaultNetwork) networks.default = { name: `${name}_default`, ...(networks.default ?? {}) };
  if (Object.keys(networks).length) project.networks = sortKeys(networks);
  const volumes = named(declared.volumes, name);
  if (Object.keys(volumes).length) project.volumes = sortKeys(volumes);
  const secrets = named(declared.secrets, name);
  if (Object.keys(secrets).length) project.secrets = sortKeys(secrets);
  const configs = named(declared.configs, name, input.lookup, true);
  if (Object.keys(configs).length) project.configs = sortKeys(configs);
  // Compose keeps top-level extension fields in its config output; so do we.
  for (const [k, v] of Object.entries(data)) if (k.startsWith('x-')) project[k as `x-${string}`] = v;
  return project;
}

function sortKeys<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}

/** Engine-side names: `<project>_<key>` unless named explicitly; external resources keep their own name. */
function named(section: Dict, project: string, lookup: Lookup = () => undefined, resolveContent = false): Record<string, Dict> {
  const out: Record<string, Dict> = {};
  for (const [key, raw] of Object.entries(section)) {
    const def: Dict = isPlainObject(raw) ? { ...raw } : {};
    if (isPlainObject(def.external)) {
      // Legacy `external: {name: x}`.
      def.name ??= def.external.name ?? key;
      def.external = true;
    }
    if (def.external === true) def.name ??= key;
    else def.name ??= `${project}_${key}`;
    for (const k of ['labels', 'driver_opts'] as const) if (isPlainObject(def[k])) def[k] = stringMap(def[k], () => '');
    // compose-go resolves an `environment:` source into the content it prints; envtest does so for
    // configs only, so that `envtest config` never prints a secret's value.
    if (resolveContent && typeof def.environment === 'string' && lookup(def.environment) !== undefined) def.content = lookup(def.environment);
    out[key] = def;
  }
  return out;
}

function normalizeService(
  name: string,
  raw: Dict,
  input: NormalizeInput,
  declared: { networks: Dict; volumes: Dict; secrets: Dict; configs: Dict },
  report: (p: NormalizeProblem) => void,
): ServiceConfig {
  const at = (...rest: (string | number)[]): KeyPath => ['services', name, ...rest];
  const s: Dict = { ...raw };
  if (s.image === undefined && s.build === undefined && s.provider === undefined) {
    report({ path: at(), message: 'has neither "image" nor "build": set one of them' });
  }

  // env_file contents first, `environment` on top, as Compose does; `KEY` alone reads the environment.
  if (Array.isArray(s.env_file) || s.environment !== undefined) {
    const fromFiles: Dict = {};
    for (const [i, ef] of ((s.env_file as { path: string; required: boolean }[] | undefined) ?? []).entries()) {
      const vars = input.envFiles.get(ef.path);
      if (vars) Object.assign(fromFiles, vars);
      else if (ef.required) report({ path: at('env_file', i), message: `env file ${ef.path} not found; create it or mark it required: false` });
    }
    s.environment = stringMap({ ...fromFiles, ...((s.environment as Dict | undefined) ?? {}) }, (k) => input.lookup(k) ?? null);
  }
  if (isPlainObject(s.build)) {
    const b: Dict = { ...s.build };
    if (b.dockerfile === undefined && b.dockerfile_inline === undefined) b.dockerfile = 'Dockerfile';
    // An arg with no value and no variable of that name is left out, as compose-go does.
    if (b.args !== undefined) b.args = Object.fromEntries(Object.entries(stringMap(b.args, (k) => input.lookup(k) ?? null)).filter(([, v]) => v !== null));
    if (b.labels !== undefined) b.labels = stringMap(b.labels, () => '');
    s.build = b;
  }
  const argv = (text: unknown, path: KeyPath): unknown => {
    if (typeof text !== 'string') return text;
    try {
      return shellSplit(text);
    } catch (e) {
      if (!(e instanceof ShellSplitError)) throw e;
      report({ path, message: e.message });
      return text;
    }
  };
  for (const key of ['command', 'entrypoint'] as const) if (typeof s[key] === 'string') s[key] = argv(s[key], at(key));
  for (const key of ['post_start', 'pre_stop'] as const) {
    if (!Array.isArray(s[key])) continue;
    // As compose-go: a string command split as a shell would, environment as a mapping.
    s[key] = (s[key] as Dict[]).map((h, i) => ({
      ...h,
      command: argv(h.command, at(key, i, 'command')),
      ...(h.environment !== undefined ? { environment: stringMap(h.environment, (k) => input.lookup(k) ?? null) } : {}),
    }));
  }
  if (isPlainObject(s.healthcheck)) {
    const h: Dict = { ...s.healthcheck };
    if (typeof h.test === 'string') h.test = ['CMD-SHELL', h.test];
    for (const k of ['interval', 'timeout', 'start_period', 'start_interval'] as const) if (h[k] !== undefined) h[k] = duration(h[k]);
    s.healthcheck = h;
  }
  if (s.stop_grace_period !== undefined) s.stop_grace_period = duration(s.stop_grace_period);
  canonicalUnits(s);
  // label_file contents first, `labels` on top, as compose-go does.
  if (Array.isArray(s.label_file)) {
    const fromFiles: Dict = {};
    for (const [i, path] of (s.label_file as string[]).entries()) {
      const vars = input.envFiles.get(path);
      if (vars) Object.assign(fromFiles, vars);
      else report({ path: at('label_file', i), message: `label file ${path} not found` });
    }
    s.labels = { ...fromFiles, ...((s.labels as Dict | undefined) ?? {}) };
  }
  if (s.labels !== undefined) s.labels = stringMap(s.labels, () => '');
  if (s.storage_opt !== undefined) s.storage_opt = stringMap(s.storage_opt, () => '');
  if (s.sysctls !== undefined) s.sysctls = stringMap(s.sysctls, () => '');

  checkServiceValues(s, at, report, input.backend);
  checkNetworks(s, declared.networks, at, report);
  checkFixedAddresses(s, declared.networks, at, report);
  checkVolumes(s, declared.volumes, at, report);
  // A long-form bind with a `bind:` section creates a missing host path unless told otherwise (compose-go's default).
  if (Array.isArray(s.volumes)) {
    s.volumes = (s.volumes as Dict[]).map((v) => (isPlainObject(v.bind) && v.bind.create_host_path === undefined ? { ...v, bind: { ...v.bind, create_host_path: true } } : v));
  }
  for (const kind of ['secrets', 'configs'] as const) {
    // Octal text ("0440") to the number `docker compose config` prints.
    const refs = s[kind] as { source: string; mode?: unknown }[] | undefined;
    if (refs) s[kind] = refs.map((r) => (r.mode === undefined ? r : { ...r, mode: octalMode(r.mode as string | number) }));
    // compose-go writes the default secret target; configs keep the engine's default (/<source>).
    if (kind === 'secrets' && refs) s[kind] = (s[kind] as { source: string; target?: string }[]).map((r) => ({ ...r, target: r.target ?? `/run/secrets/${r.source}` }));
    for (const [i, ref] of ((s[kind] as { source: string }[] | undefined) ?? []).entries()) {
      if (!(ref.source in declared[kind])) {
        report({ path: at(kind, i), message: `${kind.slice(0, -1)} "${ref.source}" is not defined in the top-level ${kind} section` });
      }
    }
  }
  return s as ServiceConfig;
}

// `container:<name>` loads, as in compose, and is refused when a run would start it (orchestrator/spec/unstartable-keys.ts).
const NETWORK_MODES = /^(none|bridge|service:.+|container:.+)$/;

function checkNetworks(s: Dict, declared: Dict, at: (...r: (string | number)[]) => KeyPath, report: (p: NormalizeProblem) => void): void {
  const mode = s.network_mode as string | undefined;
  if (mode !== undefined) {
    if (mode === 'host') {
      report({
        path: at('network_mode'),
        message:
          'is refused (not planned): "host" puts the service on the machine\'s own network, outside the run\'s isolated one, where parallel runs collide on ports and checks could reach the host; drop network_mode and reach the service by its name, or publish its ports with --publish',
      });
    } else if (!NETWORK_MODES.test(mode)) {
      report({ path: at('network_mode'), message: `"${mode}" is not supported yet; envtest supports "none", "bridge" and "service:<name>" ("container:<name>" loads but a run refuses it)` });
    }
    if (s.networks !== undefined) report({ path: at('networks'), message: 'cannot be used together with network_mode' });
    return;
  }
  s.networks ??= { default: null };
  for (const net of Object.keys(s.networks as Dict)) {
    if (net !== 'default' && !(net in declared)) {
      report({ path: at('networks', net), message: `network "${net}" is not defined in the top-level networks section` });
    }
  }
}

function checkVolumes(s: Dict, declared: Dict, at: (...r: (string | number)[]) => KeyPath, report: (p: NormalizeProblem) => void): void {
  for (const [i, v] of ((s.volumes as { type: string; source?: string }[] | undefined) ?? []).entries()) {
    if (v.type === 'bind' && !v.source) report({ path: at('volumes', i), message: 'a bind mount needs a "source" path on the host' });
    if (v.type === 'volume' && v.source !== undefined && !(v.source in declared)) {
      report({ path: at('volumes', i), message: `named volume "${v.source}" is not defined in the top-level volumes section` });
    }
  }
}
