// The text of `envtest config`, as `docker compose config` prints it. YAML is written with the
// YAML 1.1 rules go-yaml follows, so `"yes"`, `"on"`, `"y"` and friends stay quoted and YAML 1.1
// readers keep them as strings.
import { stringify } from 'yaml';
import type { ComposeProject } from '../model/project.js';

export function printProject(project: ComposeProject, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(project, null, 2) : stringify(project, { version: '1.1' }).trimEnd();
}
