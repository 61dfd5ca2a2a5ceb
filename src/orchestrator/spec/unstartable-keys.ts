// Keys `docker compose config` accepts, and so does `envtest config`, that a run cannot honour: refused
// when a run would start the service, before anything is made, naming file and line.
import { ValidationError, type Problem } from '../../errors.js';
import type { ComposeProject, LoadedProject } from '../../model/project.js';
import { readOnlyFilePlan } from './read-only-files.js';

export function refuseUnstartableKeys(project: ComposeProject, locate?: LoadedProject['locate']): void {
  const problems: Problem[] = [];
  for (const [name, s] of Object.entries(project.services)) {
    const refuse = (path: (string | number)[], message: string) => problems.push({ ...locate?.(['services', name, ...path]), path: ['services', name, ...path].join('.'), message });
    if (s.network_mode?.startsWith('container:')) {
      refuse(
        ['network_mode'],
        `"${s.network_mode}" is refused (not planned): it joins the network of a container outside the run, which breaks the run's isolation (and the container may not exist where the run starts); put what that container runs in the project as a service and use network_mode "service:<name>"`,
      );
    }
    for (const { kind, index, target } of readOnlyFilePlan(s).atRoot) {
      refuse(
        [kind, index],
        `lands in ${target}, directly in the root of a read_only service, where envtest cannot write it (files reach a read-only container only through a volume, and none can be mounted at /); give it a target in a directory, such as /etc/${target.slice(1)}`,
      );
    }
  }
  if (problems.length) throw new ValidationError(problems, 'compose project');
}
