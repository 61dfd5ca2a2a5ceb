// Compose's lifecycle hooks, run as docker compose runs them: each a command run with exec in the
// service's container, with the hook's user, privileges, working directory and extra environment.
// post_start runs once the container has started, before the service counts as started for its
// dependents and the checks; the first failing hook fails the start (exit 3). pre_stop runs before
// teardown removes the container; a failing one is a warning and teardown goes on (docker compose
// would abort the stop; a test run must always clean up). pre_stop hooks travel in a label of the
// container, so every teardown (`down` from another process, the reaper) finds them as it finds
// everything: by label.
import type { Logger } from 'pino';
import { EnvironmentError } from '../../errors.js';
import type { ServiceHook } from '../../model/project.js';
import type { Backend, Labels, ResourceSummary } from '../../runtime/backend.js';
import { LABEL } from '../../runtime/labels.js';
import type { ServiceLogs } from '../sampling/service-logs.js';

export const PRE_STOP_LABEL = 'envtest.pre-stop';
/** A pre_stop hook that hangs must not hold the teardown. */
export const PRE_STOP_TIMEOUT_MS = 30_000;

export interface HookLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface HookOutcome {
  exitCode: number;
  lines: HookLine[];
}

/** The label that carries a service's pre_stop hooks to teardown; none without hooks. */
export function preStopLabels(hooks: ServiceHook[] | undefined): Labels {
  return hooks?.length ? { [PRE_STOP_LABEL]: JSON.stringify(hooks) } : {};
}

/** Where a service's hook output goes: its log files (a `run`), and the run's own log. */
export function hookRecorder(service: string, logger: Logger, logs?: ServiceLogs, replica?: number): (source: string, lines: HookLine[]) => void {
  return (source, lines) => {
    logs?.note(service, source, lines, replica);
    logger.info({ service, ...(replica === undefined ? {} : { replica }), hook: source, output: lines.map((l) => l.line) }, `${source} hook ran`);
  };
}

export async function runHook(runtime: Backend, containerId: string, hook: ServiceHook): Promise<HookOutcome> {
  const env = Object.fromEntries(Object.entries(hook.environment ?? {}).filter((e): e is [string, string] => e[1] !== null));
  const session = await runtime.exec(containerId, { command: hook.command, user: hook.user, workingDir: hook.working_dir, privileged: hook.privileged, env });
  // No input, as compose runs hooks: the command sees its stdin closed at once.
  session.stdin.end();
  const lines: HookLine[] = [];
  const read = async (stream: NodeJS.ReadableStream, name: HookLine['stream']) => {
    let rest = '';
    for await (const chunk of stream) {
      const parts = (rest + Buffer.from(chunk as Buffer).toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const line of parts) lines.push({ stream: name, line: line.replace(/\r$/, '') });
    }
    if (rest) lines.push({ stream: name, line: rest });
  };
  await Promise.all([read(session.stdout, 'stdout'), read(session.stderr, 'stderr')]);
  return { exitCode: await session.exitCode, lines };
}

const describe = (kind: string, i: number, hook: ServiceHook) => `${kind} hook ${i + 1} (${hook.command.join(' ')})`;

/** Runs a container's post_start hooks in order; throws EnvironmentError at the first that fails. */
export async function runPostStart(
  runtime: Backend,
  service: string,
  containerId: string,
  hooks: ServiceHook[] | undefined,
  record: (source: string, lines: HookLine[]) => void,
): Promise<void> {
  for (const [i, hook] of (hooks ?? []).entries()) {
    const what = describe('post_start', i, hook);
    const outcome = await runHook(runtime, containerId, hook).catch((e: unknown) => {
      throw new EnvironmentError(`service ${service}: ${what} could not run: ${e instanceof Error ? e.message : String(e)}`, { service });
    });
    record('post_start', outcome.lines);
    if (outcome.exitCode !== 0) {
      const last = outcome.lines.slice(-10).map((l) => l.line);
      throw new EnvironmentError(`service ${service}: ${what} exited with code ${outcome.exitCode}${last.length ? `; its output:\n  ${last.join('\n  ')}` : ', printing nothing'}`, {
        service,
        lastLogs: last,
      });
    }
  }
}

export interface PreStopReport {
  service: string;
  container: string;
  hook: number;
  exitCode?: number;
  lines: HookLine[];
  error?: string;
}

/**
 * The pre_stop hooks of every running container that has some, containers side by side, each one's
 * hooks in order until one fails. Never throws: what failed is in the reports, for warnings.
 */
export async function runPreStop(runtime: Backend, containers: ResourceSummary[], timeoutMs = PRE_STOP_TIMEOUT_MS): Promise<PreStopReport[]> {
  const reports: PreStopReport[] = [];
  await Promise.all(
    containers
      .filter((c) => c.labels[PRE_STOP_LABEL] && (c.state === undefined || c.state === 'running'))
      .map(async (c) => {
        let hooks: ServiceHook[];
        try {
          hooks = JSON.parse(c.labels[PRE_STOP_LABEL]!) as ServiceHook[];
        } catch {
          return;
        }
        const service = c.labels[LABEL.service] ?? c.name;
        for (const [i, hook] of hooks.entries()) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
          });
          const report: PreStopReport = { service, container: c.name, hook: i + 1, lines: [] };
          reports.push(report);
          try {
            const outcome = await Promise.race([runHook(runtime, c.id, hook), timeout]);
            Object.assign(report, outcome);
          } catch (e) {
            report.error = e instanceof Error ? e.message : String(e);
          } finally {
            clearTimeout(timer);
          }
          if (report.error !== undefined || report.exitCode !== 0) break;
        }
      }),
  );
  return reports;
}

/** One warning line for a pre_stop hook that failed; none for one that succeeded. */
export function preStopWarning(r: PreStopReport): string | undefined {
  if (r.error === undefined && r.exitCode === 0) return undefined;
  const why = r.error ?? `exited with code ${r.exitCode}${r.lines.length ? `: ${r.lines.slice(-3).map((l) => l.line).join(' / ')}` : ''}`;
  return `pre_stop hook ${r.hook} of ${r.service} (${r.container}) ${why}; teardown goes on`;
}
