// Values the schema lets through by shape but envtest cannot honour, refused by name after merging
// (a merged list can be longer than either file's), plus the rules secrets and configs need before
// anything can copy them into a container. Pure.
import { isPlainObject, type KeyPath } from './key-path.js';

type Dict = Record<string, unknown>;
type Report = (p: { path: KeyPath; message: string }) => void;

const NOT_SUPPORTED = 'not supported yet';

/** Per service; `at` prefixes the service's own key path. */
export function checkServiceValues(s: Dict, at: (...rest: (string | number)[]) => KeyPath, report: Report): void {
  const build = s.build as Dict | undefined;
  const platforms = build?.platforms as string[] | undefined;
  if (platforms && platforms.length > 1) {
    report({ path: at('build', 'platforms'), message: `${NOT_SUPPORTED}: ${platforms.length} platforms; the classic builder builds one, so list exactly one` });
  }
  for (const kind of ['secrets', 'configs'] as const) {
    if (s.read_only === true && (s[kind] as unknown[] | undefined)?.length) {
      report({ path: at(kind), message: `${NOT_SUPPORTED} together with read_only: envtest copies ${kind} into the container before it starts` });
    }
  }
  const mode = s.network_mode as string | undefined;
  if (s.links !== undefined && mode !== undefined && mode !== 'bridge') {
    report({ path: at('links'), message: `cannot be used together with network_mode "${mode}"` });
  }
}

const DRIVERS = { networks: 'bridge', volumes: 'local' } as const;
const SOURCES = {
  secrets: { keys: ['file', 'environment'], words: '"file" or "environment"' },
  configs: { keys: ['file', 'environment', 'content'], words: '"file", "environment" or "content"' },
} as const;

/** Top-level networks, volumes, secrets and configs. */
export function checkResourceValues(data: Dict, report: Report): void {
  for (const section of ['networks', 'volumes'] as const) {
    for (const [name, def] of Object.entries((data[section] as Dict | undefined) ?? {})) {
      const driver = isPlainObject(def) ? def.driver : undefined;
      if (driver !== undefined && driver !== DRIVERS[section]) {
        report({ path: [section, name, 'driver'], message: `${NOT_SUPPORTED}: driver "${String(driver)}"; envtest makes ${DRIVERS[section]} ${section}` });
      }
    }
  }
  for (const section of ['secrets', 'configs'] as const) {
    for (const [name, def] of Object.entries((data[section] as Dict | undefined) ?? {})) {
      const { keys, words } = SOURCES[section];
      const given = keys.filter((k) => isPlainObject(def) && def[k] !== undefined);
      if (given.length === 1) continue;
      report({ path: [section, name], message: given.length ? `sets ${given.join(' and ')}: set only one of ${words}` : `needs its content from ${words}` });
    }
  }
}
