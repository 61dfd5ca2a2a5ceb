// A started environment. `await using env = await up(...)` tears it down however the block exits.
import type { Logger } from 'pino';
import type { ServiceLogs } from '../sampling/service-logs.js';
import type { ComposeProject } from '../../model/project.js';
import type { Backend } from '../../runtime/backend.js';
import type { ContainerWatch } from '../readiness/container-watch.js';
import { retireReaper, type ReaperHandle } from '../cleanup/reaper.js';
import type { Readiness } from '../readiness/readiness.js';
import type { HealthSource } from '../readiness/health-probe.js';
import { runSelector, teardown, type TeardownOptions, type TeardownReport } from '../cleanup/teardown.js';

export type PublishedPort = { containerPort: number; protocol: string; hostIp: string; hostPort: string };

/** One container of a service; a service has several with `scale` or `deploy.replicas`. */
export interface ReplicaRecord {
  /** From 1, as compose numbers them. */
  replica: number;
  containerId: string;
  containerName: string;
  publishedPorts: PublishedPort[];
}

/** A service; its own id, name and ports are those of its first replica. */
export interface ServiceRecord {
  service: string;
  containerId: string;
  containerName: string;
  createdAt: number;
  startedAt: number;
  readyAt?: number;
  readiness?: Readiness;
  /** With readiness `healthy`: whether the engine's check or envtest's own run of it said so first. */
  readinessSource?: HealthSource;
  publishedPorts: PublishedPort[];
  /** The machines its replicas run on, where the backend spreads them. */
  nodes?: string[];
  /** Every container of the service, the first included; absent means that one only. */
  replicas?: ReplicaRecord[];
}

/** Every container of a service, in replica order. */
export function replicasOf(record: ServiceRecord): ReplicaRecord[] {
  return record.replicas ?? [{ replica: 1, containerId: record.containerId, containerName: record.containerName, publishedPorts: record.publishedPorts }];
}

export class Environment implements AsyncDisposable {
  private stages: { removed: Promise<TeardownReport>; done: Promise<TeardownReport> } | undefined;

  constructor(
    readonly runId: string,
    readonly project: ComposeProject,
    /** compose network key → network name of this run. */
    readonly networks: Record<string, string>,
    readonly services: Record<string, ServiceRecord>,
    readonly startedAt: number,
    private readonly runtime: Backend,
    private readonly logger: Logger,
    private readonly attached: { watch?: ContainerWatch; logs?: ServiceLogs; reaper?: ReaperHandle } = {},
  ) {}

  /** Removes everything labelled with this run. Safe to call more than once. */
  down(opts: { graceSeconds?: number } = {}): Promise<TeardownReport> {
    return this.downInStages(opts).done;
  }

  /**
   * down() in its two stages: `removed` once the run's resources are gone and their logs are on
   * disk (what a report needs), `done` once the reaper, which goes last, is gone too. Work that
   * needs only the first (writing artifacts) can overlap the second.
   */
  downInStages(opts: Pick<TeardownOptions, 'graceSeconds' | 'holdRemoval'> = {}): { removed: Promise<TeardownReport>; done: Promise<TeardownReport> } {
    this.stages ??= (() => {
      const reaper = this.attached.reaper;
      const removed = (async () => {
        await this.attached.watch?.close();
        // The reaper goes last: if this process dies halfway through, it still finishes the job.
        const report = await teardown(this.runtime, runSelector(this.runId), { ...opts, logger: this.logger, exceptContainer: reaper?.containerId });
        // With the containers gone their log streams have ended: nothing is waited for.
        await this.attached.logs?.flush();
        return report;
      })();
      const done = removed.then(async (report) => {
        if (reaper) await retireReaper(reaper, report);
        this.logger.info({ removed: report.removed, failed: report.failed, ms: report.ms }, 'environment removed');
        return report;
      });
      return { removed, done };
    })();
    return this.stages;
  }

  /**
   * Stops watching and logging without removing anything: the stack stays up on purpose. The
   * reaper, which guarded the start against a SIGKILL, is removed so that it never reaps.
   */
  async detach(): Promise<void> {
    await this.attached.watch?.close();
    this.attached.logs?.stop();
    await this.attached.logs?.flush();
    await this.attached.reaper?.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }
}
