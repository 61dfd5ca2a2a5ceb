import type { LoadedProject } from '../model/project.js';
import type { Suite } from '../model/suite.js';
import { secretContents } from '../orchestrator/spec/service-files.js';
import { Redactor, secretValues } from '../text/redact.js';

/**
 * Everything secret a run knows of: the process environment and env files, the services' config,
 * the contents of their secrets, the suites' options.
 */
export function redactorFor(loaded: Pick<LoadedProject, 'project' | 'environment'> | undefined, suites: Suite[] = []): Redactor {
  const environment = loaded?.environment ?? process.env;
  return new Redactor([
    ...secretValues(environment, ...Object.values(loaded?.project.services ?? {}), ...suites.flatMap((s) => s.checks.map((c) => c.options))),
    ...secretContents(loaded?.project, environment),
  ]);
}
