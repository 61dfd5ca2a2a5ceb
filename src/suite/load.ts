// Host side: find suite files, validate them all, and fail once with every problem from every file.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError, type Problem } from '../errors.js';
import type { RunnerJob, Suite } from '../model/suite.js';
import type { Env } from './interpolate.js';
import { validateSuite } from './validate.js';

export type { RunnerJob, Suite };

const SUITE_FILE = /\.ya?ml$/i;

/** Why a path that names a suite cannot be read, or undefined when it is a readable regular file. */
async function unreadable(p: string): Promise<string | undefined> {
  try {
    const info = await stat(p);
    return info.isFile() ? undefined : 'not a regular file (a suite must be a YAML file)';
  } catch {
    const link = await lstat(p).catch(() => undefined);
    return link?.isSymbolicLink() ? 'dangling symlink (its target does not exist)' : 'no such file or directory';
  }
}

/**
 * Files as given, and the *.yaml / *.yml directly inside each directory, sorted so runs are repeatable.
 * A suite-named entry that cannot be read is a problem, never skipped: a run that silently loses a
 * suite would pass. Paths are compared by their real path, so one file given twice is read once.
 */
export async function expandSuitePaths(paths: string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = async (file: string) => {
    const why = await unreadable(file);
    if (why) return void problems.push({ file, message: why });
    const real = await realpath(file);
    if (!seen.has(real)) {
      seen.add(real);
      files.push(file);
    }
  };
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info?.isDirectory()) {
      await add(p);
      continue;
    }
    const inside = (await readdir(p, { withFileTypes: true }))
      .filter((e) => SUITE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
    if (inside.length === 0) problems.push({ file: p, message: 'directory holds no *.yaml or *.yml suite files' });
    for (const name of inside) await add(join(p, name));
  }
  return { files, problems };
}

export async function loadSuites(paths: string[], env: Env = process.env): Promise<Suite[]> {
  const { files, problems } = await expandSuitePaths(paths);
  const suites: Suite[] = [];
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push({ file, message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    const result = validateSuite(text, file, env);
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
