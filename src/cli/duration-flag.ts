import { UsageError } from '../errors.js';
import { parseDuration } from '../model/duration.js';

export function durationFlag(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${flag} takes a duration such as 30s, 2m or 500ms, not "${value}"`);
  return ms;
}
