// Port short syntax ([[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL], ranges, bare numbers) to the long
// form `docker compose config` prints. Ranges on the container side expand to one entry per port.
import type { PortConfig } from '../../model/project.js';

export class PortSyntaxError extends Error {}

export function parsePortShort(spec: string | number): PortConfig[] {
  if (typeof spec === 'number') return [{ mode: 'ingress', target: checkPort(spec, String(spec)), protocol: 'tcp' }];
  const text = spec.trim();
  const slash = text.lastIndexOf('/');
  const protocol = slash >= 0 ? text.slice(slash + 1) : 'tcp';
  const body = slash >= 0 ? text.slice(0, slash) : text;
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new PortSyntaxError(`protocol "${protocol}" in "${spec}" must be tcp, udp or sctp`);

  let hostIp: string | undefined;
  let rest = body;
  // An IPv6 host address is bracketed: [::1]:8080:80.
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2]!;
  }
  const parts = rest.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || parts.some((p, i) => p === '' && !(i === 0 && parts.length === 2 && hostIp !== undefined))) {
    throw new PortSyntaxError(`"${spec}" is not a port mapping; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "8080:80" or "127.0.0.1:8080:80/udp"`);
  }
  const targetText = parts[parts.length - 1]!;
  const published = parts.length === 2 && parts[0] !== '' ? parts[0] : undefined;
  const [tFrom, tTo] = range(targetText, spec);
  const base = (target: number, pub: string | undefined): PortConfig => ({
    mode: 'ingress',
    ...(hostIp !== undefined && hostIp !== '' ? { host_ip: hostIp } : {}),
    target,
    ...(pub !== undefined ? { published: pub } : {}),
    protocol,
  });
  if (tFrom === 0) throw new PortSyntaxError(`"${spec}": container port 0 is not a port; use 1-65535`);
  if (tFrom === tTo) {
    if (published !== undefined) range(published, spec);
    return [base(tFrom, published)];
  }
  // A container range maps 1:1 onto an equally long host range.
  const count = tTo - tFrom + 1;
  let hostFrom: number | undefined;
  if (published !== undefined) {
    const [hFrom, hTo] = range(published, spec);
    if (hTo - hFrom + 1 !== count) throw new PortSyntaxError(`"${spec}": host range and container range must be the same length`);
    hostFrom = hFrom;
  }
  return Array.from({ length: count }, (_, k) => base(tFrom + k, hostFrom === undefined ? undefined : String(hostFrom + k)));
}

function range(text: string, spec: string | number): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new PortSyntaxError(`"${spec}": "${text}" is not a port number or range`);
  const from = checkPort(Number(m[1]), String(spec));
  const to = m[2] === undefined ? from : checkPort(Number(m[2]), String(spec));
  if (to < from) throw new PortSyntaxError(`"${spec}": range ${text} ends before it starts`);
  return [from, to];
}

function checkPort(n: number, spec: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PortSyntaxError(`"${spec}": port ${n} is out of range 0-65535`);
  return n;
}

/** The long form's `target`: a container port, 1-65535. Undefined when fine. */
export function targetProblem(target: unknown): string | undefined {
  const n = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `target ${JSON.stringify(target)} is not a container port; use 1-65535`;
}

/** The long form's `published`: a host port or range ("8080", "8000-8010"). Undefined when fine. */
export function publishedProblem(published: string): string | undefined {
  try {
    range(published, published);
    return undefined;
  } catch (e) {
    return `published ${e instanceof PortSyntaxError ? e.message.replace(/^"[^"]*": /, '') : published}; use a host port 0-65535 or a range like "8000-8010"`;
  }
}

/** An `expose` entry: PORT[-PORT][/PROTOCOL], ports 1-65535. Undefined when fine. */
export function exposeProblem(entry: string): string | undefined {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(entry);
  const ok = m && Number(m[1]) >= 1 && Number(m[2] ?? m[1]) <= 65535 && Number(m[1]) <= Number(m[2] ?? m[1]);
  return ok ? undefined : `"${entry}" is not a container port; use a port 1-65535 or a range like "8000-8010", optionally with /tcp, /udp or /sctp`;
}
