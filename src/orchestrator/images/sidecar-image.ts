// Which image runs envtest's own containers on a run's network (the check sidecar, shell and
// forward helpers): any image with node >= 18 on PATH works.
import { randomBytes } from 'node:crypto';
import { UsageError } from '../../errors.js';
import { containerLabels } from '../../runtime/labels.js';
import type { Backend } from '../../runtime/backend.js';

/** Built by scripts/build-images.sh offline; anywhere a registry answers, node:20-slim works as well. */
export const DEFAULT_SIDECAR_IMAGE = 'envtest/sidecar:latest';
const FALLBACK_SIDECAR_IMAGE = 'node:20-slim';

export async function resolveSidecarImage(runtime: Backend, requested?: string): Promise<string> {
  if (requested) return requested;
  return (await runtime.imageExists(DEFAULT_SIDECAR_IMAGE)) ? DEFAULT_SIDECAR_IMAGE : FALLBACK_SIDECAR_IMAGE;
}

/** The sidecar runner is one bundled file for node >= 18; checks' protocol clients need nothing newer. */
const MIN_NODE_MAJOR = 18;

/**
 * A sidecar image the user chose must run the runner: found out before the stack starts, by running
 * `node` in a throwaway container with no network, rather than after every service came up.
 */
export async function checkSidecarImage(runtime: Backend, image: string, owner: { runId: string; project: string }, signal?: AbortSignal): Promise<void> {
  if (!(await runtime.imageExists(image))) await runtime.pullImage(image, { signal });
  let job;
  try {
    job = await runtime.startJob({
      name: `${owner.project}-${owner.runId}-envtest-imagecheck-${randomBytes(2).toString('hex')}`,
      image,
      labels: containerLabels(owner.runId, owner.project, 'helper'),
      entrypoint: ['node'],
      command: ['-e', 'process.stdout.write(process.versions.node)'],
      networks: [],
      isolated: true,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (/executable file not found|no such file or directory/i.test(reason)) throw noNode(image, 'it has no `node` on its PATH');
    throw e;
  }
  try {
    const code = await job.exited({ signal });
    const { stdout } = await job.output({ follow: false });
    let version = '';
    for await (const chunk of stdout) version += String(chunk);
    const major = Number(/^(\d+)\./.exec(version.trim())?.[1]);
    if (code !== 0) throw noNode(image, `\`node\` exits with code ${code} there`);
    if (!(major >= MIN_NODE_MAJOR)) throw noNode(image, `its node is ${version.trim() || 'of unknown version'}`);
  } finally {
    await job.remove().catch(() => undefined);
  }
}

function noNode(image: string, why: string): UsageError {
  return new UsageError(`sidecar image ${image} cannot run envtest's checks: ${why}; use an image with node >= ${MIN_NODE_MAJOR} on PATH (e.g. envtest/sidecar:latest or node:20-slim)`);
}
