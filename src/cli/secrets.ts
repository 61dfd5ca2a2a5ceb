import type { ComposeProject } from '../model/project.js';
import type { Suite } from '../model/suite.js';
import { secretContents } from '../orchestrator/service-files.js';
import { Redactor, secretValues } from '../text/redact.js';

/** Everything secret a run knows of: the process environment, the services' config and secrets, the suites' options. */
export function redactorFor(project: ComposeProject | undefined, suites: Suite[] = []): Redactor {
  return new Redactor([
    ...secretValues(process.env, ...Object.values(project?.services ?? {}), ...suites.flatMap((s) => s.checks.map((c) => c.options))),
    ...secretContents(project),
  ]);
}
