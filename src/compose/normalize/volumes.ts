// Volume short syntax (`SOURCE:TARGET[:OPTIONS]`, or just `TARGET` for an anonymous volume) to the
// long form. Relative bind sources stay relative here; normalization resolves them.
import type { VolumeMount } from '../../model/project.js';

export class VolumeSyntaxError extends Error {}

const PROPAGATION = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'];

export function isBindSource(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source);
}

export function parseVolumeShort(spec: string): VolumeMount {
  const parts = spec.split(':');
  if (parts.length === 1) {
    if (!parts[0]) throw new VolumeSyntaxError(`empty volume`);
    return { type: 'volume', target: parts[0] };
  }
  if (parts.length > 3 || !parts[0] || !parts[1]) {
    throw new VolumeSyntaxError(`"${spec}" is not a volume; expected SOURCE:TARGET[:ro|rw|z|Z|nocopy|...] or TARGET`);
  }
  const [source, target, options = ''] = parts as [string, string, string?];
  const bind = isBindSource(source);
  const mount: VolumeMount = { type: bind ? 'bind' : 'volume', source, target };
  for (const opt of options.split(',').filter(Boolean)) {
    if (opt === 'ro') mount.read_only = true;
    else if (opt === 'rw') continue;
    else if (bind && (opt === 'z' || opt === 'Z')) mount.bind = { ...mount.bind, selinux: opt };
    else if (bind && PROPAGATION.includes(opt)) mount.bind = { ...mount.bind, propagation: opt };
    else if (!bind && opt === 'nocopy') mount.volume = { nocopy: true };
    else throw new VolumeSyntaxError(`"${spec}": unknown volume option "${opt}"; expected ro, rw${bind ? ', z, Z or a propagation mode' : ' or nocopy'}`);
  }
  // Short-syntax binds create a missing host directory, as `docker run -v` does.
  if (bind) mount.bind = { create_host_path: true, ...mount.bind };
  return mount;
}
