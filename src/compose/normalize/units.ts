// Sizes and CPU counts of a service in the form `docker compose config` prints them (compose-go's
// types): byte sizes as a count of bytes in text, CPUs as numbers. Pure; mutates the service copy.
import { canonicalBytes } from '../../model/compose-units.js';
import { isPlainObject } from '../key-path.js';

type Dict = Record<string, unknown>;

const BYTE_KEYS = ['shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit'] as const;
const CPU_KEYS = ['cpus'] as const;

function convert(obj: Dict, keys: readonly string[], to: (v: string | number) => unknown): void {
  for (const k of keys) if (typeof obj[k] === 'string' || typeof obj[k] === 'number') obj[k] = to(obj[k] as string | number);
}

export function canonicalUnits(s: Dict): void {
  convert(s, BYTE_KEYS, canonicalBytes);
  convert(s, CPU_KEYS, Number);
  if (isPlainObject(s.build)) {
    s.build = { ...s.build };
    convert(s.build as Dict, ['shm_size'], canonicalBytes);
  }
  const resources = isPlainObject(s.deploy) && isPlainObject(s.deploy.resources) ? s.deploy.resources : undefined;
  if (resources) {
    const out: Dict = { ...resources };
    for (const side of ['limits', 'reservations'] as const) {
      if (!isPlainObject(out[side])) continue;
      const v: Dict = { ...out[side] };
      convert(v, ['memory'], canonicalBytes);
      convert(v, ['cpus'], Number);
      out[side] = v;
    }
    s.deploy = { ...(s.deploy as Dict), resources: out };
  }
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v: Dict) => (isPlainObject(v.tmpfs) && v.tmpfs.size !== undefined ? { ...v, tmpfs: { ...v.tmpfs, size: canonicalBytes(v.tmpfs.size as string | number) } } : v));
  }
}
