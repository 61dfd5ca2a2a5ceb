// What the orchestrator tells whoever is watching (the terminal reporter, tests, later the HTML
// timeline). Plain data, so reporters never reach into orchestrator state.
export type ProgressEvent =
  | { type: 'image'; service: string; image: string; action: 'present' | 'unchanged' | 'building' | 'built' | 'pulling' | 'pulled'; ms?: number }
  | { type: 'service'; service: string; phase: 'created' | 'started' | 'waiting' | 'ready' | 'failed'; detail?: string; ms: number; /** Set on `created`. */ containerId?: string }
  | { type: 'teardown'; removed: number; failed: number; ms: number }
  /** Something went wrong that does not end the run (a log file that cannot be written). */
  | { type: 'warning'; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

export const ignoreProgress: ProgressListener = () => undefined;
