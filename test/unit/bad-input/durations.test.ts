// One duration parser for compose, suites and flags, with the same bounds wherever a duration is read.
import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { formatProblem, UsageError, ValidationError } from '../../../src/errors.js';
import { serviceContainerSpec } from '../../../src/orchestrator/spec/service-spec.js';
import { durationFlag } from '../../../src/cli/duration-flag.js';
import { validateSuite } from '../../../src/suite/validate.js';
import { memfs } from '../compose/memfs.js';

const ctx = { runId: 'r1', project: 'p', networks: { default: 'p-r1_default' }, volumes: {}, containerIds: {}, extraLabels: {} };

async function composeProblems(yaml: string): Promise<string[]> {
  const e = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).problems.map(formatProblem);
}

const suiteProblems = (text: string) => validateSuite(text, 'suite.yaml', {}).problems.map(formatProblem);

describe('durations in compose files', () => {
  it('passes a health check written in nanoseconds to the engine instead of dropping it', async () => {
    const yaml = 'services:\n  web:\n    image: x\n    healthcheck:\n      test: "true"\n      interval: 1000000000ns\n      timeout: 1500000us\n      start_period: 1m30s\n';
    const { project } = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
    const spec = serviceContainerSpec('web', project.services.web!, 'img', ctx);
    expect(spec.healthcheck).toMatchObject({ intervalMs: 1000, timeoutMs: 1500, startPeriodMs: 90_000 });
  });

  it('refuses a duration no timer can hold and one that is not a duration, with file, key path and line', async () => {
    expect(await composeProblems('services:\n  web:\n    image: x\n    stop_grace_period: 600h\n    healthcheck:\n      test: "true"\n      interval: 5 seconds\n')).toEqual([
      'compose.yaml:4 services.web.stop_grace_period: the string "600h" is not valid: longer than envtest can wait; the longest is 596h31m (2^31-1 ms)',
      'compose.yaml:7 services.web.healthcheck.interval: the string "5 seconds" is not valid: expected a duration such as 500ms, 30s or 1m30s (units ns, us, ms, s, m, h; a bare number is seconds)',
    ]);
  });
});

describe('durations in suites', () => {
  const check = (extra: string) => `checks:\n  - name: c\n    target: api:80\n    tcp: {}\n${extra}`;

  it('refuses timeout: 0, for a check and as a default', () => {
    expect(suiteProblems(check('    timeout: 0\n'))).toEqual(['suite.yaml:5 checks[0] "c" timeout: must be longer than 0, got 0']);
    expect(suiteProblems(`defaults:\n  timeout: 0s\n${check('')}`)).toEqual(['suite.yaml:2 defaults.timeout: must be longer than 0, got "0s"']);
  });

  it('refuses retry.every below 10ms', () => {
    expect(suiteProblems(check('    retry: { for: 5s, every: 0 }\n'))).toEqual(['suite.yaml:5 checks[0] "c" retry.every: must be at least 10ms, got 0']);
    expect(suiteProblems(check('    retry: { for: 5s, every: 10ms }\n'))).toEqual([]);
  });

  it('refuses durations beyond 2^31-1 ms wherever they are read', () => {
    expect(suiteProblems(`defaults:\n  retry: { for: 600h }\n${check('    timeout: 597h\n    samples: 2\n    latency: { max: 1000h }\n')}`)).toEqual([
      'suite.yaml:2 defaults.retry.for: longer than envtest can wait; the longest is 596h31m (2^31-1 ms), got "600h"',
      'suite.yaml:7 checks[0] "c" timeout: longer than envtest can wait; the longest is 596h31m (2^31-1 ms), got "597h"',
      'suite.yaml:9 checks[0] "c" latency.max: longer than envtest can wait; the longest is 596h31m (2^31-1 ms), got "1000h"',
    ]);
  });

  it('reads nanoseconds and microseconds as compose does', () => {
    const r = validateSuite(check('    timeout: 1500000000ns\n    retry: { for: 2s, every: 20000us }\n'), 'suite.yaml', {});
    expect(r.problems).toEqual([]);
    expect(r.suite!.checks[0]).toMatchObject({ timeoutMs: 1500, retry: { forMs: 2000, everyMs: 20 } });
  });
});

describe('duration flags', () => {
  it('refuses --timeout 0 and a --timeout beyond what a timer holds', () => {
    expect(() => durationFlag('--timeout', '0', { positive: true })).toThrow(new UsageError('--timeout "0": must be longer than 0'));
    expect(() => durationFlag('--timeout', '700h', { positive: true })).toThrow(/--timeout "700h": longer than envtest can wait/);
    expect(durationFlag('--timeout', '1000000000ns', { positive: true })).toBe(1000);
  });
});
