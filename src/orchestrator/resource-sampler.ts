// Container CPU and memory sampled while a run lasts, for metrics.json. Best effort: a missing
// sample never fails a run.
import type { ContainerRuntime, ResourceUsage } from '../runtime/runtime.js';

export class ResourceSampler {
  private readonly samples: Record<string, ResourceUsage[]> = {};
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly containers: Record<string, string>,
    private readonly everyMs = 1000,
  ) {}

  start(): this {
    const tick = () => {
      this.inFlight = this.sampleOnce().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.everyMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
    return this;
  }

  private async sampleOnce(): Promise<void> {
    await Promise.all(
      Object.entries(this.containers).map(async ([service, id]) => {
        const usage = await this.runtime.stats(id);
        if (usage) (this.samples[service] ??= []).push(usage);
      }),
    );
  }

  async stop(): Promise<Record<string, ResourceUsage[]>> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    return this.samples;
  }
}
