// `envtest exec` and `envtest shell` as library calls: a command in a service's container, or a
// shell in a helper on the run's networks. The caller wires the session to a terminal or pipes.
import { EnvironmentError } from '../errors.js';
import type { Backend, ExecSession, ExecSpec } from '../runtime/backend.js';
import { startHelper, type HelperOptions } from './helper.js';
import { findRun, serviceOf } from './running-run.js';

export async function execInService(runtime: Backend, runId: string, service: string, spec: ExecSpec): Promise<ExecSession> {
  const container = serviceOf(await findRun(runtime, runId), service);
  if (container.state !== 'running') throw new EnvironmentError(`service ${service} of run ${runId} is not running (${container.state ?? 'unknown state'}); see \`envtest logs ${runId} ${service}\``);
  return runtime.exec(container.id, spec);
}

/** bash where the image has it, else sh. */
export const SHELL_COMMAND = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

export interface ShellSession extends ExecSession {
  /** Settles when the helper is gone (the run was torn down under the shell). */
  gone: Promise<void>;
  /** Removes the helper (the shell with it). */
  end(): Promise<void>;
}

export async function openShell(runtime: Backend, runId: string, opts: HelperOptions & { tty?: boolean } = {}): Promise<ShellSession> {
  const helper = await startHelper(runtime, runId, opts);
  try {
    const session = await helper.exec({ command: SHELL_COMMAND, tty: opts.tty, env: { ENVTEST_RUN: runId } });
    return { ...session, gone: helper.gone, end: helper.close };
  } catch (e) {
    await helper.close();
    throw e;
  }
}
