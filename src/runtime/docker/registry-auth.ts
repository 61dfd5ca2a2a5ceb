// Registry credentials for a pull, found where `docker login` left them, as the docker CLI looks:
// the credential helper for that registry (credHelpers), else the default store (credsStore), else
// the `auths` entry of $DOCKER_CONFIG/config.json. A helper is a `docker-credential-<name>` program
// on PATH that answers `get` with the registry on stdin; one that is missing or has nothing for the
// registry leaves the `auths` entry, then no credentials (public images need none).
import { execFile } from 'node:child_process';
import { dockerConfigPath, readDockerConfig, type DockerConfigFile } from './docker-config.js';

/** What the engine takes in X-Registry-Auth. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

export interface FoundAuth {
  auth: RegistryAuth;
  /** For messages: `docker-credential-pass`, `auths in /home/u/.docker/config.json`. */
  from: string;
}

/** Docker Hub's key in config.json, as `docker login` writes it. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry of an image reference as the engine reads it: `docker.io` when the first part is no host. */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = isHost ? first.toLowerCase() : 'docker.io';
  return DOCKER_HUB_NAMES.has(host) ? 'docker.io' : host;
}

/** `https://host:5000/v2/` → `host:5000`, as the docker CLI matches config.json keys. */
function hostOfKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_NAMES.has(host) ? 'docker.io' : host;
}

export async function credentialsFor(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<FoundAuth | undefined> {
  const config = readDockerConfig(env);
  const registry = registryOf(ref);
  const serveraddress = registry === 'docker.io' ? DOCKER_HUB_KEY : registry;
  const helper = config.credHelpers?.[registry] ?? (registry === 'docker.io' ? config.credHelpers?.[DOCKER_HUB_KEY] : undefined) ?? config.credsStore;
  if (helper) {
    const fromHelper = await askHelper(helper, serveraddress, env);
    if (fromHelper) return { auth: fromHelper, from: `docker-credential-${helper}` };
  }
  const stored = fromAuths(config, registry, serveraddress);
  return stored && { auth: stored, from: `auths in ${dockerConfigPath(env)}` };
}

function fromAuths(config: DockerConfigFile, registry: string, serveraddress: string): RegistryAuth | undefined {
  const entry = Object.entries(config.auths ?? {}).find(([key]) => hostOfKey(key) === registry)?.[1];
  if (!entry) return undefined;
  let { username, password } = entry;
  if (entry.auth) {
    // base64 of `user:password`; the password may itself hold colons.
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const auth: RegistryAuth = { serveraddress, ...(username ? { username } : {}), ...(password ? { password } : {}) };
  if (entry.identitytoken) auth.identitytoken = entry.identitytoken;
  if (entry.registrytoken) auth.registrytoken = entry.registrytoken;
  return auth.username || auth.identitytoken || auth.registrytoken ? auth : undefined;
}

/** The helper's answer; undefined when it is not installed, has nothing for the registry, or fails. */
function askHelper(helper: string, serveraddress: string, env: NodeJS.ProcessEnv): Promise<RegistryAuth | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { env, timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const { Username, Secret } = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!Secret) return resolve(undefined);
        // A helper stores an identity token under the user name `<token>`.
        resolve(Username === '<token>' ? { serveraddress, identitytoken: Secret } : { serveraddress, username: Username, password: Secret });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin?.on('error', () => undefined); // a helper that is not there closes no pipe we can write to
    child.stdin?.end(serveraddress);
  });
}

/** After a refused pull: which credentials were sent, or where `docker login` would put some. */
export function loginHint(ref: string, engineMessage: string, used: FoundAuth | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (!/unauthorized|authentication required|no basic auth credentials|denied|forbidden/i.test(engineMessage)) return '';
  const registry = registryOf(ref);
  const login = `docker login${registry === 'docker.io' ? '' : ` ${registry}`}`;
  if (used) return ` (the registry refused the credentials for ${registry} from ${used.from}; log in again with \`${login}\`)`;
  return ` (no credentials for ${registry} in ${dockerConfigPath(env)} nor its credential helpers: log in with \`${login}\`, or set DOCKER_CONFIG to the folder whose config.json has them)`;
}
