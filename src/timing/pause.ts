// Waiting that gives way: a poll loop or a backoff must end the moment its run is cancelled, without
// an AbortError to catch at every call. `node:timers/promises` would reject instead, and vitest's
// virtual clock does not drive it; this uses the global timers, which the clock replaces.

/** Resolves after `ms`, or as soon as any of the signals given aborts, whichever is first; never rejects. */
export function pause(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
