// junit.xml: one testsuite per suite, one testcase per check, a failure element with the message.
// The dialect CI systems agree on (Jenkins, GitLab, GitHub test reporters).
import { formatLogLine } from './correlate.js';
import type { ReportCheck, RunReport } from './report.js';

export function junitXml(report: RunReport): string {
  const bySuite = new Map<string, RunReport['checks']>();
  for (const c of report.checks) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = [...bySuite].map(([suite, checks]) => {
    const failures = checks.filter((c) => c.status === 'failed').length;
    const time = checks.reduce((t, c) => t + c.durationMs, 0);
    const cases = checks.map((c) => {
      const open = `    <testcase classname="${esc(suite)}" name="${esc(c.name)}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'passed') return `${open}/>`;
      return `${open}>\n      <failure message="${esc(firstLine(c.message))}" type="${esc(c.protocol)}">${esc(`${c.target}: ${c.message}`)}</failure>${systemOut(c)}\n    </testcase>`;
    });
    return [`  <testsuite name="${esc(suite)}" tests="${checks.length}" failures="${failures}" errors="0" time="${seconds(time)}">`, ...cases, '  </testsuite>'].join('\n');
  });
  // A run that ended in error (the stack never came up, a signal) must not read as "0 tests, all
  // green" to a CI reporter: it becomes one testcase with an error element.
  if (report.error) {
    suites.push(
      [
        `  <testsuite name="envtest" tests="1" failures="0" errors="1" time="${seconds(report.durationMs)}">`,
        `    <testcase classname="envtest" name="environment of run ${esc(report.runId)}" time="${seconds(report.durationMs)}">`,
        `      <error message="${esc(firstLine(report.error))}" type="environment">${esc(report.error)}</error>`,
        '    </testcase>',
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const { total, failed } = report.summary;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="envtest ${esc(report.runId)}" tests="${total + (report.error ? 1 : 0)}" failures="${failed}" errors="${report.error ? 1 : 0}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** The service log lines around the failure, where CI test viewers show a test's output. */
function systemOut(c: ReportCheck): string {
  const header = c.failure ? [`transaction ${c.failure.id}${c.failure.traceId ? ` trace ${c.failure.traceId}` : ''} (see transactions.ndjson)`] : [];
  const lines = (c.logs ?? []).map(formatLogLine);
  if (!header.length && !lines.length) return '';
  const body = [...header, ...(lines.length ? lines : ['(no service log lines around the failure)'])].join('\n');
  return `\n      <system-out>${esc(body)}</system-out>`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function esc(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
