import { describe, expect, it } from 'vitest';
import { junitXml } from '../../../src/artifacts/junit.js';
import { buildReport } from '../../../src/artifacts/report.js';
import type { CheckResult } from '../../../src/model/results.js';

const check = (name: string, status: 'passed' | 'failed', message = ''): CheckResult => ({
  suite: 'shop <ports>',
  name,
  target: 'api:8080',
  protocol: 'http',
  status,
  attempts: 1,
  durationMs: 12,
  message,
});

describe('junitXml', () => {
  it('writes a testsuite per suite, a testcase per check and a failure with the message, escaped', () => {
    const report = buildReport({ runId: 'r1', project: 'p', startedAt: 0, finishedAt: 1500, services: [], results: [check('ok', 'passed'), check('drift', 'failed', 'expected status 200, got 503 (body: "<html>")')] });
    expect(junitXml(report)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="envtest r1" tests="2" failures="1" errors="0" time="1.500">',
        '  <testsuite name="shop &lt;ports&gt;" tests="2" failures="1" errors="0" time="0.024">',
        '    <testcase classname="shop &lt;ports&gt;" name="ok" time="0.012"/>',
        '    <testcase classname="shop &lt;ports&gt;" name="drift" time="0.012">',
        '      <failure message="expected status 200, got 503 (body: &quot;&lt;html&gt;&quot;)" type="http">api:8080: expected status 200, got 503 (body: &quot;&lt;html&gt;&quot;)</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('turns a run that ended in error into an errored testcase, so CI does not show it green', () => {
    const report = buildReport({ runId: 'r2', project: 'p', startedAt: 0, finishedAt: 1000, services: [], results: [], error: 'service api exited with code 1' });
    const xml = junitXml(report);
    expect(xml).toContain('tests="1" failures="0" errors="1"');
    expect(xml).toContain('<error message="service api exited with code 1" type="environment">');
  });
});
