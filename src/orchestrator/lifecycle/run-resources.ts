// The networks and named volumes of one run. Names derive from the run id, so parallel runs of a
// project never share them; external ones are used as they are and never removed.
import { EnvironmentError } from '../../errors.js';
import type { ComposeProject } from '../../model/project.js';
import { AddressPoolExhaustedError } from '../../runtime/errors.js';
import type { Backend, Labels, NetworkSpec } from '../../runtime/backend.js';
import { settleAll } from './settle.js';

export interface ResourceOptions {
  runtime: Backend;
  project: ComposeProject;
  runId: string;
  labels: Labels;
  /** Networks are `internal` (no egress) unless this is set. */
  egress: boolean;
}

export async function createNetworks(opts: ResourceOptions): Promise<Record<string, string>> {
  const { project } = opts;
  const used = new Set<string>();
  for (const s of Object.values(project.services)) {
    if (s.network_mode) continue;
    for (const key of Object.keys(s.networks ?? { default: null })) used.add(key);
  }
  const names: Record<string, string> = {};
  await settleAll(
    [...used].map(async (key) => {
      const declared = project.networks?.[key];
      const name = (names[key] = nameFor(opts, key, declared));
      if (declared?.external) return;
      const internal = declared?.internal === true || !opts.egress;
      const ipam = declared?.ipam;
      const spec: NetworkSpec = {
        name,
        internal,
        labels: { ...declared?.labels, ...opts.labels },
        ...(declared?.driver ? { driver: declared.driver } : {}),
        ...(declared?.driver_opts ? { options: declared.driver_opts } : {}),
        ...(declared?.enable_ipv6 ? { enableIPv6: true } : {}),
        ...(ipam
          ? {
              ipam: {
                driver: ipam.driver,
                options: ipam.options,
                config: ipam.config?.map((c) => ({ subnet: c.subnet, ipRange: c.ip_range, gateway: c.gateway, auxAddresses: c.aux_addresses })),
              },
            }
          : {}),
      };
      await opts.runtime.createNetwork(spec).catch((e: unknown) => {
        if (!(e instanceof AddressPoolExhaustedError)) throw e;
        throw new EnvironmentError(
          `the engine has no free address range for network ${name} (${e.engineMessage}). Too many networks exist: remove stale runs with \`envtest down --all --stale\`, or give the engine more room with "default-address-pools" in its daemon.json, e.g. {"default-address-pools":[{"base":"10.213.0.0/16","size":24}]}`,
        );
      });
    }),
  );
  return names;
}

export async function createVolumes(opts: ResourceOptions): Promise<Record<string, string>> {
  const { project } = opts;
  const names: Record<string, string> = {};
  await settleAll(
    Object.entries(project.volumes ?? {}).map(async ([key, declared]) => {
      const name = (names[key] = nameFor(opts, key, declared));
      if (!declared?.external) {
        await opts.runtime.createVolume(name, { ...declared?.labels, ...opts.labels }, { driver: declared?.driver, driverOpts: declared?.driver_opts });
      }
    }),
  );
  return names;
}

/** External ones keep their name; the rest are per run, so parallel runs never share (or wipe) them. */
function nameFor(opts: ResourceOptions, key: string, declared?: { external?: boolean; name?: string }): string {
  return declared?.external ? (declared.name ?? key) : `${opts.project.name}-${opts.runId}_${key}`;
}
