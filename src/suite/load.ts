// Host side: find suite files, validate them all, and fail once with every problem from every file.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError, type Problem } from '../errors.js';
import type { RunnerJob, Suite } from '../model/suite.js';
import type { Env } from './interpolate.js';
import { validateSuite } from './validate.js';

export type { RunnerJob, Suite };

const SUITE_FILE = /\.ya?ml$/i;

/** Files as given, and the *.yaml / *.yml directly inside each directory, sorted so runs are repeatable. */
export async function expandSuitePaths(paths: string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      problems.push({ file: p, message: 'no such file or directory' });
      continue;
    }
    if (!info.isDirectory()) {
      files.push(p);
      continue;
    }
    const inside = (await readdir(p, { withFileTypes: true }))
      .filter((e) => e.isFile() && SUITE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
    if (inside.length === 0) problems.push({ file: p, message: 'directory holds no *.yaml or *.yml suite files' });
    files.push(...inside.map((name) => join(p, name)));
  }
  return { files: [...new Set(files)], problems };
}

export async function loadSuites(paths: string[], env: Env = process.env): Promise<Suite[]> {
  const { files, problems } = await expandSuitePaths(paths);
  const suites: Suite[] = [];
  for (const file of files) {
    const result = validateSuite(await readFile(file, 'utf8'), file, env);
    problems.push(...result.problems);
    if (result.suite) suites.push(result.suite);
  }
  // Results are keyed by suite and check name, so two suites with one name would be indistinguishable.
  const byName = new Map<string, string>();
  for (const s of suites) {
    const other = byName.get(s.name);
    if (other) problems.push({ file: s.file, message: `duplicate suite name "${s.name}" (also ${other}); give one a distinct \`name\`` });
    else byName.set(s.name, s.file);
  }
  if (problems.length > 0) throw new ValidationError(problems, 'check suite');
  return suites;
}
