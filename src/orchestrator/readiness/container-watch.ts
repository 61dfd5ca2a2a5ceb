// Event-driven waits. One engine event stream per run wakes the waiters of the container it names;
// each waiter then re-inspects, so a missed or reordered event can never leave a wait stuck and no
// wait ever polls on a fixed sleep. One fact is taken from an event itself: the exit code of a `die`,
// where an exit 0 ends the wait (a one-shot job done), which spares the slowest inspect of all.
import { LABEL } from '../../runtime/labels.js';
import type { Backend, ServiceState } from '../../runtime/backend.js';
import { pause } from '../../timing/pause.js';

/** Decided (`done`/`fail`), undecided until the next event, or undecided until a known time. */
export type Verdict<T> = { done: T } | { fail: string } | { recheckInMs: number } | undefined;

export class ContainerWatch {
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly generation = new Map<string, number>();
  /** Exit codes the engine's `die` events named, by container. */
  private readonly exits = new Map<string, number>();
  private readonly abort = new AbortController();
  private readonly listening: Promise<void>;

  constructor(
    private readonly runtime: Backend,
    runId: string,
  ) {
    this.listening = this.listen(runId);
  }

  private async listen(runId: string): Promise<void> {
    try {
      for await (const change of this.runtime.watchRun({ [LABEL.run]: runId }, this.abort.signal)) {
        const code = change.action === 'die' ? Number(change.labels.exitCode) : NaN;
        if (Number.isInteger(code)) this.exits.set(change.id, code);
        else if (change.action === 'start' || change.action === 'restart') this.exits.delete(change.id);
        this.wake(change.id);
      }
    } catch {
      // The event stream is an accelerator; waits still make progress on their periodic re-inspect.
    }
  }

  /** Something the engine does not announce changed what a judge decides (envtest's own health probe passed). */
  wake(id: string): void {
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
    for (const wake of this.wakers.get(id) ?? []) wake();
  }

  /**
   * Inspects `id` on every event for it until `judge` decides (ContainerFailed on `fail`), the
   * signal aborts, or `deadline` passes (WaitExpired). A slow safety re-inspect (every 2 s) covers
   * engines that drop events.
   */
  async until<T>(
    id: string,
    judge: (state: ServiceState) => Verdict<T>,
    opts: { deadline: number; signal: AbortSignal },
  ): Promise<T> {
    let last: ServiceState | undefined;
    for (;;) {
      const seen = this.generation.get(id) ?? 0;
      // A `die` event names the exit code. Where that alone decides (a one-shot job done), no inspect
      // is waited for: the engine answers one only once it has cleaned up after the process, 40–130
      // ms later, on the critical path of everything that waits for the job. Anything else is
      // judged on what the engine says, as before.
      const exitCode = this.exits.get(id);
      if (last && exitCode !== undefined) {
        const verdict = judge({ ...last, status: 'exited', exitCode });
        if (verdict && 'done' in verdict) return verdict.done;
      }
      const state = await this.runtime.serviceState(id);
      last = state;
      const verdict = judge(state);
      if (verdict && 'done' in verdict) return verdict.done;
      if (verdict && 'fail' in verdict) throw new ContainerFailed(verdict.fail, state);
      if (opts.signal.aborted) throw opts.signal.reason;
      const left = opts.deadline - Date.now();
      if (left <= 0) throw new WaitExpired('deadline passed', state);
      if ((this.generation.get(id) ?? 0) !== seen) continue;
      const recheck = verdict && 'recheckInMs' in verdict ? verdict.recheckInMs : 2000;
      await this.nextEvent(id, Math.min(left, recheck), opts.signal);
    }
  }

  private async nextEvent(id: string, maxMs: number, signal: AbortSignal): Promise<void> {
    const set = this.wakers.get(id) ?? new Set();
    this.wakers.set(id, set);
    const event = new AbortController();
    const wake = () => event.abort();
    set.add(wake);
    try {
      await pause(maxMs, signal, event.signal);
    } finally {
      set.delete(wake);
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.listening;
  }
}

/** A wait ended without the verdict it waited for; `state` is the container as last seen. */
abstract class WaitEnded extends Error {
  constructor(
    message: string,
    readonly state: ServiceState,
  ) {
    super(message);
  }
}

/** The judge said the container failed (the message says how). */
export class ContainerFailed extends WaitEnded {}

/** The deadline passed before the judge decided. */
export class WaitExpired extends WaitEnded {}
