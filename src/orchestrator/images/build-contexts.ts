// A build context that is not there is the user's to fix (exit 2), not an engine failure: checked
// on the host before anything is made. Remote (git/URL) contexts are not sent to the engine yet.
import { statSync } from 'node:fs';
import { ValidationError, type Problem } from '../../errors.js';
import type { ComposeProject } from '../../model/project.js';

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)|\.git(#.*)?$/;

export function checkBuildContexts(project: ComposeProject): void {
  const problems: Problem[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    const context = service.build?.context;
    if (!context) continue;
    const path = `services.${name}.build.context`;
    if (REMOTE.test(context)) {
      problems.push({ path, message: `remote build contexts (${context}) are not supported yet: clone it and point at the folder` });
    } else if (!statSync(context, { throwIfNoEntry: false })?.isDirectory()) {
      problems.push({ path, message: `build context ${context} is not a folder that exists` });
    }
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}
