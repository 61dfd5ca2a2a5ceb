// Before reproducing a run elsewhere: which services would run a different image than the run did.
import type { Problem } from '../../errors.js';
import type { RecordedImage } from '../../reproduce/record.js';
import type { Backend } from '../../runtime/backend.js';

export async function imageDrift(runtime: Backend, images: Record<string, RecordedImage>): Promise<Problem[]> {
  const problems = await Promise.all(
    Object.entries(images)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([service, recorded]): Promise<Problem | undefined> => {
        const local = await runtime.inspectImage(recorded.ref);
        if (!local) return { path: `services.${service}`, message: `image ${recorded.ref} is not on this engine; it will be built or pulled, and may differ from the run's (${short(recorded.id)})` };
        if (!recorded.id || local.id === recorded.id) return undefined;
        const digests = recorded.repoDigests.length ? `, repo digest ${recorded.repoDigests[0]}` : '';
        return { path: `services.${service}`, message: `the local image ${recorded.ref} is ${short(local.id)}, but the run used ${short(recorded.id)}${digests}` };
      }),
  );
  return problems.filter((p): p is Problem => p !== undefined);
}

const short = (id?: string) => (id ? id.replace(/^sha256:/, '').slice(0, 12) : 'unknown');
