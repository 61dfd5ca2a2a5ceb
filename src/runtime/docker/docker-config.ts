// The docker CLI's own configuration directory, read the way the CLI reads it: $DOCKER_CONFIG, else
// ~/.docker. Its config.json names the current context and holds registry credentials; envtest
// reads both from here so it reaches the engine and the registries `docker` reaches.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineConfigError } from '../../errors.js';

export interface DockerConfigFile {
  currentContext?: string;
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dockerConfigDir(env), 'config.json');
}

/** The parsed config.json; empty when there is none (a machine that never ran `docker login`). */
export function readDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfigFile {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new EngineConfigError(`cannot read the docker CLI configuration ${path}: ${(e as Error).message}`);
  }
  const parsed = parseJson(text, path);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EngineConfigError(`${path} is not a docker CLI configuration: expected a JSON object`);
  return parsed as DockerConfigFile;
}

/** JSON of one of the docker CLI's files; a broken one is named, with the parser's reason. */
export function parseJson(text: string, path: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new EngineConfigError(`${path} is not valid JSON (${(e as Error).message}); fix or remove it`);
  }
}
