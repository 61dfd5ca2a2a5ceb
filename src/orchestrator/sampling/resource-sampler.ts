// Container CPU and memory sampled while a run lasts, for metrics.json: from each container's
// creation (`track`) until the checks are done. A tick every second asks for every container
// whose previous answer is in (the engine takes about a second to measure CPU, so waiting for all
// before the next tick would halve the rate). Best effort: a missing sample never fails a run.
// The engine answers even a one-shot question only at its collector's next tick (once a second),
// so the first reading of a container is asked for as soon as it starts (`started`): asked for
// only when the checks are done, it held the teardown for up to a second. Even asked for at the
// start, it may still be on its way when the checks end (a service started just before): only that
// container's removal waits for it (finish().heldFor), not the whole teardown.
import type { Backend, ResourceUsage } from '../../runtime/backend.js';
import { pause } from '../../timing/pause.js';

/**
 * How long a first reading still on its way is waited for once the checks are done: the held
 * container's removal starts at most this late (the others' at once), where stop() used to hold
 * the whole teardown for up to a second. A reading later than this (the engine's collector ticks
 * once a second) is left out of metrics.json.
 */
const FIRST_READING_PATIENCE_MS = 200;

export interface SamplingEnd {
  /** What removing this container must wait for: its first reading, if one is on its way (200 ms at most). */
  heldFor(containerId: string): Promise<void>;
  /** Every sample, once the first readings on their way are in. */
  samples(): Promise<Record<string, ResourceUsage[]>>;
}

export class ResourceSampler {
  private readonly samples: Record<string, ResourceUsage[]> = {};
  private readonly pending = new Map<string, Promise<void>>();
  /** Each started container's first reading (memory, no CPU), asked for once. */
  private readonly first = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** Answers that arrive after the end are dropped: what samples() gave is what metrics.json gets. */
  private stopped = false;
  /** Drops the ticks' questions still out at finish(): no request to the engine outlives the run. */
  private readonly asking = new AbortController();
  /** The same for the first readings, once they are no longer waited for. */
  private readonly askingFirst = new AbortController();

  constructor(
    private readonly runtime: Backend,
    private readonly containers: Record<string, string> = {},
    private readonly everyMs = 1000,
  ) {}

  /** Samples this container too from the next tick on. */
  track(service: string, containerId: string): void {
    this.containers[service] = containerId;
  }

  /**
   * The service's container runs: its first reading is asked for now, so that it is in by the
   * time the checks end even when no tick has measured it yet (one started just before them).
   */
  started(service: string): void {
    const id = this.containers[service];
    if (!id || this.first.has(service) || this.stopped) return;
    this.first.set(service, this.takeNow(service, id, this.askingFirst.signal));
  }

  /** Memory at once (the engine's next collector tick), without CPU: kept only while nothing else sampled it. */
  private async takeNow(service: string, id: string, signal?: AbortSignal): Promise<void> {
    const usage = await this.runtime.stats(id, { now: true, ...(signal ? { signal } : {}) }).catch(() => undefined);
    if (usage && !this.stopped && !this.samples[service]?.length) (this.samples[service] ??= []).push(usage);
  }

  start(): this {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs).unref();
    return this;
  }

  private tick(): void {
    for (const [service, id] of Object.entries(this.containers)) {
      if (this.pending.has(service)) continue;
      const p = this.runtime
        .stats(id, { signal: this.asking.signal })
        .then((usage) => void (usage && !this.stopped && (this.samples[service] ??= []).push(usage)))
        .catch(() => undefined)
        .finally(() => this.pending.delete(service));
      this.pending.set(service, p);
    }
  }

  /**
   * Stops the ticks, dropping their questions still out. A container without any sample yet (one
   * started just before the checks ended) gets its first reading, asked for when it started (or
   * now, when nobody said it started), its memory without CPU: `heldFor` it, `samples` after it.
   */
  finish(): SamplingEnd {
    clearInterval(this.timer);
    this.timer = undefined;
    this.asking.abort();
    const unsampled = Object.entries(this.containers).filter(([service]) => !this.samples[service]?.length);
    const readings = new Map(
      unsampled.map(([service, id]) => [id, Promise.race([this.first.get(service) ?? this.takeNow(service, id, this.askingFirst.signal), pause(FIRST_READING_PATIENCE_MS, this.askingFirst.signal)])]),
    );
    const all = Promise.all(readings.values()).then(() => {
      this.stopped = true;
      this.askingFirst.abort();
      for (const list of Object.values(this.samples)) list.sort((a, b) => a.at - b.at);
      return this.samples;
    });
    return { heldFor: (id) => readings.get(id) ?? Promise.resolve(), samples: () => all };
  }
}
