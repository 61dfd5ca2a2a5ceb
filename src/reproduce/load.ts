// Reading a run's saved record back for `envtest reproduce`, and adapting it to this machine.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile } from '../compose/index.js';
import { UsageError } from '../errors.js';
import type { ComposeProject } from '../model/project.js';
import { imageFor } from '../orchestrator/images/images.js';
import { RECORD_FILE, RECORD_FORMAT, type RunRecord } from './record.js';

export function readRecord(dir: string): RunRecord {
  const file = join(dir, RECORD_FILE);
  if (!existsSync(file)) {
    throw new UsageError(`${dir} holds no ${RECORD_FILE}: give the folder of one run (e.g. .envtest/runs/<run-id>), written by envtest run`);
  }
  let record: Partial<RunRecord>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunRecord>;
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (record.format !== RECORD_FORMAT || !record.project?.services || !Array.isArray(record.suites)) {
    throw new UsageError(`${file} is not a run record this envtest reads (format ${String(record.format)}, expected ${RECORD_FORMAT})`);
  }
  return record as RunRecord;
}

export interface OriginalOutcome {
  status: 'passed' | 'failed' | 'error';
  /** `suite › check` of each failed check. */
  failed: string[];
  error?: string;
}

/** What the original run's report.json says, when it is there. */
export function readOriginalOutcome(dir: string): OriginalOutcome | undefined {
  try {
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { status: OriginalOutcome['status']; error?: string; checks: { suite: string; name: string; status: string }[] };
    return { status: report.status, error: report.error, failed: report.checks.filter((c) => c.status === 'failed').map(checkKey) };
  } catch {
    return undefined;
  }
}

export const checkKey = (c: { suite: string; name: string }) => `${c.suite} › ${c.name}`;

/** The process environment over `.env` in `dir`, as a run reads them. */
export function localEnvironment(dir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = join(dir, '.env');
  if (!existsSync(file)) return { ...env };
  const parsed = parseEnvFile(readFileSync(file, 'utf8'), (name) => env[name]);
  if (parsed.problems.length) throw new UsageError(`${file}:${parsed.problems[0]!.line}: ${parsed.problems[0]!.message}`);
  return { ...parsed.vars, ...env };
}

/**
 * A build whose context is not on this machine (the run was elsewhere) cannot be rebuilt: the
 * service runs the image the build would have tagged, found locally or pulled.
 */
export function withoutMissingBuilds(project: ComposeProject): ComposeProject {
  const services = Object.fromEntries(
    Object.entries(project.services).map(([name, s]) => {
      if (!s.build || existsSync(s.build.context)) return [name, s];
      const { build: _build, ...rest } = s;
      return [name, { ...rest, image: imageFor(project, name, s) }];
    }),
  );
  return { ...project, services };
}
