// The probe job: dial every target from the sidecar, the way other services would, and name what
// answers. All targets at once: each probe is a few short connections bounded by the job's timeout.
import { connectTcp } from '../../checks/net/connect.js';
import { errorCode, errorMessage } from '../../checks/net/errors.js';
import type { ProbeJob, ProbeResult, ProbeTarget } from '../../model/ports.js';
import { identify } from './handshakes.js';

export async function runProbes(job: ProbeJob, emit: (result: ProbeResult) => void): Promise<void> {
  await Promise.all(job.targets.map(async (target) => emit(await probe(target, job.timeoutMs))));
}

async function probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  try {
    const socket = await connectTcp(target.host, target.port, AbortSignal.timeout(timeoutMs));
    socket.destroy();
  } catch (err) {
    return { id: target.id, reachable: false, error: errorCode(err) ?? errorMessage(err) };
  }
  const { speaks, answer } = await identify({ host: target.host, port: target.port, timeoutMs });
  return { id: target.id, reachable: true, speaks, ...(answer ? { answer } : {}) };
}
