// Response header expectations: exact text, or a regex. Names are case-insensitive (lower-cased
// by the loader); a repeated header is compared as its values joined with ", " (RFC 9110).
import type { TextMatch } from '../../model/suite.js';
import { show } from './text.js';

export type ReceivedHeaders = Record<string, string | string[] | undefined>;

export function headerMismatches(expected: Record<string, TextMatch> | undefined, actual: ReceivedHeaders): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(expected ?? {})) {
    const raw = actual[name.toLowerCase()];
    const got = Array.isArray(raw) ? raw.join(', ') : raw;
    if (typeof want === 'string') {
      if (got !== want) out.push(`expected header ${name} ${show(want)}, got ${got === undefined ? 'none' : show(got)}`);
    } else if (got === undefined || !new RegExp(want.matches).test(got)) {
      out.push(`expected header ${name} matching /${want.matches}/, got ${got === undefined ? 'none' : show(got)}`);
    }
  }
  return out;
}
