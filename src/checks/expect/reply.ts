// A Redis reply against the expected one. Replies arrive as strings, numbers, arrays or null;
// the expectation is matched as a subset with loose scalars, so `reply: 1` matches integer 1 and "1".
import { subsetMismatch } from './subset.js';

export function replyMismatch(expected: unknown, reply: unknown): string | undefined {
  if (expected === undefined) return undefined;
  return subsetMismatch(expected, reply, 'reply', { looseScalars: true });
}
