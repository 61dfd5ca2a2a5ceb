// Suites for `env.check()`, loaded and validated exactly as `envtest run --checks` loads them.
import { UsageError } from '../errors.js';
import type { Suite } from '../model/suite.js';
import { loadSuites as loadAll } from '../suite/load.js';

/**
 * Loads and validates the suite in one YAML file. Rejects with a ValidationError naming file, key
 * path and line for every problem. `${VAR}` in the file is read from `env` (default `process.env`).
 */
export async function loadSuite(file: string, env: Record<string, string | undefined> = process.env): Promise<Suite> {
  const suites = await loadAll([file], env);
  if (suites.length !== 1) throw new UsageError(`${file} holds ${suites.length} suites: use loadSuites() for a directory`);
  return suites[0]!;
}

/** Loads suite files, and the *.yaml / *.yml files directly inside directories, failing once with every problem. */
export function loadSuites(paths: string[], env: Record<string, string | undefined> = process.env): Promise<Suite[]> {
  return loadAll(paths, env);
}
