// Every engine call's duration, for profiling a run (envtest.log at ENVTEST_LOG_LEVEL=debug): the
// verb, what it named (an id, a ref) and how long the engine took, success or not.
import type { Backend } from './backend.js';

export type CallTimer = (call: { verb: string; subject?: string; ms: number; failed?: boolean }) => void;

export function timedCalls<T extends Backend>(runtime: T, report: CallTimer): T {
  // A proxy, like rememberingImages: every verb of the interface is timed, the ones added later included.
  return new Proxy(runtime, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = fn(...args);
        if (!(result instanceof Promise)) return result;
        const subject = subjectOf(args[0]);
        const done = (failed: boolean) => report({ verb: String(key), ...(subject ? { subject } : {}), ms: Math.round(performance.now() - started), ...(failed ? { failed } : {}) });
        result.then(() => done(false), () => done(true));
        return result;
      };
    },
  });
}

/** What a call names, short: an id or ref as it is, a spec by its name or tag. */
function subjectOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.length === 64 && /^[0-9a-f]+$/.test(arg) ? arg.slice(0, 12) : arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { name?: unknown; tag?: unknown };
    if (typeof o.name === 'string') return o.name;
    if (typeof o.tag === 'string') return o.tag;
  }
  return undefined;
}
