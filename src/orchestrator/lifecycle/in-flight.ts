// What a start or a run is busy with right now, read off its progress and check events: for the
// message when a timeout cuts it short ("still building shop-api for api; waiting for db to be ready").
import type { RunnerEvent } from '../../model/results.js';
import type { ProgressEvent, ProgressListener } from './progress.js';

export class InFlight {
  private readonly images = new Map<string, string>();
  private readonly services = new Set<string>();
  private readonly checks = new Set<string>();

  /** Records a check starting or ending. */
  check(e: RunnerEvent): void {
    if (e.type === 'start') this.checks.add(`${e.suite}: ${e.name}`);
    else if (e.type === 'result') this.checks.delete(`${e.suite}: ${e.name}`);
  }

  /** The listener to hand the start: records, then passes every event on. */
  listen(next: ProgressListener): ProgressListener {
    return (e) => {
      this.record(e);
      next(e);
    };
  }

  private record(e: ProgressEvent): void {
    if (e.type === 'image') {
      if (e.action === 'building' || e.action === 'pulling') this.images.set(e.service, `${e.action} ${e.image} for ${e.service}`);
      else this.images.delete(e.service);
    } else if (e.type === 'service') {
      if (e.phase === 'created' || e.phase === 'started') this.services.add(e.service);
      else this.services.delete(e.service);
    }
  }

  /** `building shop-api for api; waiting for db, cache to be ready`, or undefined when idle. */
  describe(): string | undefined {
    const parts = [...this.images.values()];
    if (this.services.size) parts.push(`waiting for ${[...this.services].sort().join(', ')} to be ready`);
    if (this.checks.size) parts.push(`running checks ${[...this.checks].join(', ')}`);
    return parts.length ? parts.join('; ') : undefined;
  }
}

/**
 * A signal that aborts after `ms` with the error `reason()` makes at that moment, so the error can
 * say what was still going on. `clear()` once the bounded work is over.
 */
export function deadlineSignal(ms: number, reason: () => Error): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
