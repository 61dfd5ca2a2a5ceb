import { describe, expect, it } from 'vitest';
import { durationProblem, formatDuration, MAX_DURATION_MS, parseDuration } from '../../../src/model/duration.js';

describe('parseDuration', () => {
  it('reads every unit compose accepts, alone and combined', () => {
    expect(parseDuration('1000000000ns')).toBe(1000);
    expect(parseDuration('1500us')).toBe(1.5);
    expect(parseDuration('1500µs')).toBe(1.5);
    expect(parseDuration('1500μs')).toBe(1.5);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h2m3s4ms')).toBe(3_723_004);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('.5s')).toBe(500);
  });

  it('takes a bare number as seconds and refuses what is not a duration', () => {
    expect(parseDuration('3')).toBe(3000);
    expect(parseDuration(0.25)).toBe(250);
    for (const bad of ['', 's', '5 s', '5d', '-1s', '1m30', 'soon']) expect(parseDuration(bad), bad).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});

describe('durationProblem', () => {
  it('refuses what a timer cannot hold (about 596h) and accepts the longest that it can', () => {
    expect(durationProblem('600h')).toBe('longer than envtest can wait; the longest is 596h31m (2^31-1 ms)');
    expect(durationProblem(`${MAX_DURATION_MS}ms`)).toBeUndefined();
    expect(durationProblem(`${MAX_DURATION_MS + 1}ms`)).toMatch(/longer than envtest can wait/);
  });

  it('applies the rules of the key: positive, a minimum', () => {
    expect(durationProblem('0s', { positive: true })).toBe('must be longer than 0');
    expect(durationProblem(0, { positive: true })).toBe('must be longer than 0');
    expect(durationProblem('0', { minMs: 10 })).toBe('must be at least 10ms');
    expect(durationProblem('10ms', { minMs: 10 })).toBeUndefined();
    expect(durationProblem('x')).toMatch(/^expected a duration such as 500ms, 30s or 1m30s \(units ns, us, ms, s, m, h/);
  });
});

describe('formatDuration', () => {
  it('says hours as hours', () => {
    expect(formatDuration(600 * 3_600_000)).toBe('600h');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
