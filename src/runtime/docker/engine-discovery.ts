// Finds the engine the way the docker CLI does, so envtest talks to the engine `docker ps` shows
// (rootless Docker, Colima, Docker Desktop, Podman's socket). The CLI's order:
//   1. DOCKER_HOST (TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH);
//   2. the context DOCKER_CONTEXT names;
//   3. the currentContext of $DOCKER_CONFIG/config.json;
//   4. the local socket. The context named "default" is this one too.
// A context lives in $DOCKER_CONFIG/contexts/meta/<sha256 of its name>/meta.json (the endpoint),
// with its TLS files in contexts/tls/<same digest>/docker/{ca,cert,key}.pem.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineConfigError } from '../../errors.js';
import { dockerConfigDir, dockerConfigPath, parseJson, readDockerConfig } from './docker-config.js';

export const DEFAULT_ENGINE_HOST = 'unix:///var/run/docker.sock';
const DEFAULT_CONTEXT = 'default';

export interface EngineTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Check the engine's certificate (against `ca`); false is DOCKER_TLS without verify, or a context's SkipTLSVerify. */
  verify: boolean;
}

export interface EngineLocation {
  /** `unix:///path/docker.sock`, `tcp://host:port` or `ssh://user@host`. */
  host: string;
  /** The docker context it came from: `default` when DOCKER_HOST or nothing chose it. */
  context: string;
  /** What chose it, for messages: `DOCKER_HOST`, `DOCKER_CONTEXT`, `the currentContext in …`, `the default`. */
  chosenBy: string;
  /** Only for tcp:// hosts. */
  tls?: EngineTls;
}

export function discoverEngine(env: NodeJS.ProcessEnv = process.env): EngineLocation {
  if (env.DOCKER_HOST) return { host: normalizeHost(env.DOCKER_HOST, 'DOCKER_HOST', isTlsOn(env)), context: DEFAULT_CONTEXT, chosenBy: 'DOCKER_HOST', tls: envTls(env, env.DOCKER_HOST) };
  if (env.DOCKER_CONTEXT) return fromContext(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', env);
  const current = readDockerConfig(env).currentContext;
  if (current) return fromContext(current, `the currentContext in ${dockerConfigPath(env)}`, env);
  return defaultEngine('the default');
}

/** For messages: `unix:///x.sock (docker context "colima", from DOCKER_CONTEXT)`. */
export function describeEngine(engine: EngineLocation): string {
  if (engine.context !== DEFAULT_CONTEXT) return `${engine.host} (docker context "${engine.context}", from ${engine.chosenBy})`;
  return `${engine.host} (${engine.chosenBy === 'DOCKER_HOST' ? 'from DOCKER_HOST' : engine.chosenBy === 'the default' ? 'the default' : `docker context "default", from ${engine.chosenBy}`})`;
}

/** The socket file of a unix:// engine; undefined for engines reached over the network. */
export function engineSocketPath(host: string): string | undefined {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/** The context named "default" is no file: it is what DOCKER_HOST-less settings give. */
function defaultEngine(chosenBy: string): EngineLocation {
  return { host: DEFAULT_ENGINE_HOST, context: DEFAULT_CONTEXT, chosenBy };
}

export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

function fromContext(name: string, chosenBy: string, env: NodeJS.ProcessEnv): EngineLocation {
  if (name === DEFAULT_CONTEXT) return defaultEngine(chosenBy);
  const dir = join(dockerConfigDir(env), 'contexts');
  const metaPath = join(dir, 'meta', contextDigest(name), 'meta.json');
  let text: string;
  try {
    text = readFileSync(metaPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new EngineConfigError(`cannot read docker context "${name}" (${chosenBy}): ${(e as Error).message}`);
    const known = [DEFAULT_CONTEXT, ...contextNames(dir)].map((n) => `"${n}"`).join(', ');
    const fix = chosenBy === 'DOCKER_CONTEXT' ? 'set DOCKER_CONTEXT to one of them or unset it' : 'switch with `docker context use <name>`';
    throw new EngineConfigError(`docker context "${name}" (${chosenBy}) does not exist: there is no ${metaPath}. Contexts in ${dir}: ${known}; ${fix}`);
  }
  const meta = parseJson(text, metaPath) as ContextMeta;
  const endpoint = meta.Endpoints?.docker;
  if (!endpoint) throw new EngineConfigError(`docker context "${name}" (${chosenBy}) has no docker endpoint in ${metaPath} (Endpoints.docker.Host)`);
  const tlsFiles = readTlsDir(join(dir, 'tls', contextDigest(name), 'docker'));
  const where = `Endpoints.docker.Host of docker context "${name}" (${metaPath})`;
  const tlsOn = !!tlsFiles || !!endpoint.SkipTLSVerify;
  const host = endpoint.Host ? normalizeHost(endpoint.Host, where, tlsOn) : DEFAULT_ENGINE_HOST;
  const tls = host.startsWith('tcp://') && tlsOn ? { ...tlsFiles, verify: !endpoint.SkipTLSVerify } : undefined;
  return { host, context: name, chosenBy, tls };
}

/** Names of the contexts stored in `dir`, for the message about one that is not. */
function contextNames(dir: string): string[] {
  let digests: string[];
  try {
    digests = readdirSync(join(dir, 'meta'));
  } catch {
    return [];
  }
  return digests
    .map((d) => {
      try {
        return (JSON.parse(readFileSync(join(dir, 'meta', d, 'meta.json'), 'utf8')) as ContextMeta).Name;
      } catch {
        return undefined;
      }
    })
    .filter((n): n is string => !!n)
    .sort();
}

/** A context's TLS files; undefined when it has none (plain tcp://). */
function readTlsDir(dir: string): Omit<EngineTls, 'verify'> | undefined {
  const files = { ca: readOptional(join(dir, 'ca.pem')), cert: readOptional(join(dir, 'cert.pem')), key: readOptional(join(dir, 'key.pem')) };
  return files.ca || files.cert || files.key ? files : undefined;
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EngineConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** The CLI turns TLS on for any non-empty DOCKER_TLS_VERIFY (even "0") or DOCKER_TLS. */
function isTlsOn(env: NodeJS.ProcessEnv): boolean {
  return !!env.DOCKER_TLS_VERIFY || !!env.DOCKER_TLS;
}

/** TLS of DOCKER_HOST: files from DOCKER_CERT_PATH (default: the config dir); ca.pem is required to verify. */
function envTls(env: NodeJS.ProcessEnv, rawHost: string): EngineTls | undefined {
  if (!isTlsOn(env) || !normalizeHost(rawHost, 'DOCKER_HOST', true).startsWith('tcp://')) return undefined;
  const certPath = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  const verify = !!env.DOCKER_TLS_VERIFY;
  const ca = readOptional(join(certPath, 'ca.pem'));
  if (verify && !ca) {
    throw new EngineConfigError(`DOCKER_TLS_VERIFY is set but there is no CA certificate at ${join(certPath, 'ca.pem')}: point DOCKER_CERT_PATH at the folder with ca.pem, cert.pem and key.pem`);
  }
  return { ca, cert: readOptional(join(certPath, 'cert.pem')), key: readOptional(join(certPath, 'key.pem')), verify };
}

/**
 * `unix:///path`, `tcp://host[:port]` (a bare `host:port` is tcp, as for the CLI; the port defaults
 * to 2376 with TLS, else 2375) or `ssh://[user@]host[:port]`; anything else is refused here.
 */
export function normalizeHost(raw: string, where: string, tls: boolean): string {
  const value = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'unix') return value.length > 'unix://'.length ? value : DEFAULT_ENGINE_HOST;
  if (scheme === 'ssh') return value;
  if (scheme === undefined || scheme === 'tcp') {
    const rest = scheme ? value.slice('tcp://'.length) : value;
    const url = URL.canParse(`tcp://${rest}`) ? new URL(`tcp://${rest}`) : undefined;
    if (url?.hostname) return `tcp://${url.hostname}:${url.port || (tls ? 2376 : 2375)}`;
  }
  throw new EngineConfigError(`${where} is "${raw}", which is not an engine address: use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host`);
}
