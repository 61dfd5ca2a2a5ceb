// The variables interpolation sees: env files in order (each may use variables of earlier ones
// and of the process), then the process environment on top, since Compose lets the shell win.
import type { Problem } from '../../errors.js';
import { parseEnvFile } from './env-file.js';
import type { Lookup } from './interpolate.js';

export type ReadText = (path: string) => Promise<string | undefined>;
export type Env = Record<string, string | undefined>;

export interface EnvFileSource {
  path: string;
  display: string;
}

export async function readEnvFiles(read: ReadText, files: EnvFileSource[], processEnv: Env, problems: Problem[]): Promise<Record<string, string>> {
  const vars: Record<string, string> = {};
  for (const f of files) {
    const text = await read(f.path);
    if (text === undefined) {
      problems.push({ file: f.display, message: 'env file not found' });
      continue;
    }
    const parsed = parseEnvFile(text, lookupIn(processEnv), (name) => vars[name]);
    Object.assign(vars, parsed.vars);
    for (const p of parsed.problems) problems.push({ file: f.display, line: p.line, message: p.message });
  }
  return vars;
}

/** Process values win over env-file values. */
export function layered(processEnv: Env, fileVars: Record<string, string>): Env {
  const out: Env = { ...fileVars };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) out[k] = v;
  return out;
}

export function lookupIn(env: Env): Lookup {
  return (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
}
