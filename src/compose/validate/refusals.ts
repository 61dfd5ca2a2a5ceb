// Why a Compose key envtest refuses is refused, and whether support is planned: the text of the
// refusal, so a user knows whether to wait, or to change the file. Keyed by the key's path with
// user-chosen names as `*` (services.*.develop), falling back to the key's own name.
// "Needs Docker Engine API 1.xx" means: the engines envtest supports and is tested on speak API 1.41
// (docker 20.10), where the engine has no field for it; "needs BuildKit": envtest builds with the
// engine API's classic builder (no BuildKit session), which has no such option.

interface Refusal {
  planned: boolean;
  why: string;
}

const DEFAULT: Refusal = { planned: false, why: 'a Compose key envtest does not implement' };
const WINDOWS = { planned: false, why: 'Windows containers only' };
const BUILDKIT = { planned: false, why: 'needs BuildKit; envtest builds through the engine API classic builder' };

const REFUSALS: Record<string, Refusal> = {
  provider: { planned: false, why: 'provider services are run by a plugin of the compose CLI, not by the engine' },
  models: { planned: false, why: 'model runners are a Docker Desktop feature' },
  // Not in the Compose spec: compose-go's hook that runs containers of its own image (per replica or
  // not) before the service's; post_start and pre_stop are run (exec in the service's container).
  pre_start: { planned: true, why: 'pre_start runs containers of their own image before the service, which envtest does not do yet; post_start and pre_stop are run' },
  annotations: { planned: true, why: 'needs Docker Engine API 1.43 (docker 24)' },
  subpath: { planned: true, why: 'volume subpaths need Docker Engine API 1.45 (docker 26)' },
  gpus: { planned: false, why: 'GPU device requests need a GPU runtime on the engine' },
  'deploy.resources.reservations.devices': { planned: false, why: 'device requests need a device runtime (GPU) on the engine' },
  cpu_count: WINDOWS,
  cpu_percent: WINDOWS,
  isolation: WINDOWS,
  credential_spec: WINDOWS,
  external_links: { planned: false, why: 'a run reaches only the containers it starts; add the service to the project instead' },
  use_api_socket: { planned: false, why: 'a test stack should not reach the engine; use --allow-engine-socket with a bind mount' },
  ...Object.fromEntries(
    ['additional_contexts', 'ssh', 'secrets', 'cache_to', 'entitlements', 'privileged', 'provenance', 'sbom', 'no_cache_filter'].map((k) => [`services.*.build.${k}`, BUILDKIT]),
  ),
  'services.*.build.isolation': WINDOWS,
  'services.*.networks.*.mac_address': { planned: false, why: 'a MAC address per network needs Docker Engine API 1.44; the service-level mac_address works' },
  gw_priority: { planned: true, why: 'needs Docker Engine API 1.48' },
  'networks.*.enable_ipv4': { planned: true, why: 'needs Docker Engine API 1.47' },
  interface_name: { planned: false, why: 'needs Docker Engine API 1.49' },
  'volumes.*.image': { planned: true, why: 'image mounts need Docker Engine API 1.47' },
};

/** `services.*.build.ssh` style pattern of a key path. */
function pattern(path: readonly (string | number)[]): string {
  return path
    .map((k, i) =>
      typeof k === 'number' || (i === 1 && ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'].includes(String(path[0]))) || (i === 3 && path[0] === 'services' && path[2] === 'networks')
        ? '*'
        : k,
    )
    .join('.');
}

export function refusalOf(path: readonly (string | number)[]): string {
  const p = pattern(path);
  const r = REFUSALS[p] ?? Object.entries(REFUSALS).find(([k]) => !k.startsWith('services.*.build.') && k.includes('.') && p.endsWith(`.${k}`))?.[1] ?? (path[0] === 'services' && !path.includes('build') ? REFUSALS[String(path.at(-1))] : undefined) ?? DEFAULT;
  return `not supported yet (${r.why}; ${r.planned ? 'planned' : 'not planned'})`;
}
