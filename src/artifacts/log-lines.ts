// A service log line with the engine's time: the structured twin of logs/<service>.log, one JSON
// object per line in logs/<service>.ndjson, which failure correlation and the HTML report read.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LogLine {
  service: string;
  /** Which container of a service with several (`scale`); absent for a service with one. */
  replica?: number;
  /** Epoch ms, from the engine's timestamp (or when envtest read the line, if it had none). */
  at: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export const LOG_TWIN_SUFFIX = '.ndjson';

const ENGINE_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** Splits the engine's `<RFC 3339> ` prefix off a line; lines without one get `fallback`. */
export function splitEngineTime(raw: string, fallback: number): { at: number; line: string } {
  const m = ENGINE_TIME.exec(raw);
  const at = m ? Date.parse(m[1]!) : NaN;
  return Number.isNaN(at) ? { at: fallback, line: raw } : { at, line: raw.slice(m![0].length) };
}

/** Every service's lines from a run's logs folder, each service's in order. */
export async function readLogTwins(logsDir: string): Promise<LogLine[]> {
  let names: string[];
  try {
    names = (await readdir(logsDir)).filter((n) => n.endsWith(LOG_TWIN_SUFFIX));
  } catch {
    return [];
  }
  const all = await Promise.all(
    names.map(async (n) => {
      const text = await readFile(join(logsDir, n), 'utf8');
      return text.split('\n').flatMap((l) => {
        if (!l.trim()) return [];
        try {
          return [JSON.parse(l) as LogLine];
        } catch {
          return [];
        }
      });
    }),
  );
  return all.flat();
}
