import { UsageError } from '../errors.js';
import { durationProblem, parseDuration, type DurationRules } from '../model/duration.js';

export function durationFlag(flag: string, value: string, rules: DurationRules = {}): number {
  const problem = durationProblem(value, rules);
  if (problem) throw new UsageError(`${flag} ${JSON.stringify(value)}: ${problem}`);
  return parseDuration(value)!;
}
