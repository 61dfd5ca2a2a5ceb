// Check progress and the closing summary for people. Every failure says what was expected and
// what came back, so the terminal alone is enough to start fixing.
import { fewest, formatLogLine, TERMINAL_LOG_LINES } from '../artifacts/correlate.js';
import type { RunReport } from '../artifacts/report.js';
import { formatDuration } from '../model/duration.js';
import type { RunnerEvent } from '../model/results.js';
import type { DownReport } from '../library/environment.js';
import type { SavedSnapshotFile } from '../snapshot/book.js';

export interface CheckOutput {
  /** A finished line (a result). */
  line(text: string): void;
  /** On a terminal: the one line below the results that says what is running now; '' clears it. */
  status?(text: string): void;
}

/** Plain lines as results arrive; on a TTY also a live line of the checks still running. */
export function checkReporter(out: CheckOutput): (event: RunnerEvent) => void {
  const running = new Set<string>();
  let done = 0;
  return (e) => {
    if (e.type === 'start') running.add(`${e.suite} › ${e.name}`);
    if (e.type === 'result') {
      running.delete(`${e.suite} › ${e.name}`);
      done++;
      out.status?.('');
      out.line(resultLine(e));
    }
    if (!out.status) return;
    if (e.type === 'done' || e.type === 'fatal' || running.size === 0) return out.status('');
    const names = [...running];
    out.status(`  … ${done} done, ${names.length} running: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`);
  };
}

function resultLine(e: Extract<RunnerEvent, { type: 'result' }>): string {
  const latency = e.latency ? ` p95 ${Math.round(e.latency.p95)}ms over ${e.latency.samples}` : '';
  const mark = e.status === 'passed' ? '✓' : '✗';
  const tail = e.status === 'failed' ? ` — ${e.message}` : snapshotNote(e.snapshot);
  return `  ${mark} ${e.suite} › ${e.name} (${e.target}, ${formatDuration(e.durationMs)}${e.attempts > 1 ? `, ${e.attempts} attempts` : ''}${latency})${tail}`;
}

/** On a passing check: what its snapshot did, when it did more than match. */
function snapshotNote(s: Extract<RunnerEvent, { type: 'result' }>['snapshot']): string {
  if (s?.status === 'recorded') return ' — snapshot recorded';
  if (s?.status !== 'updated') return '';
  return ` — snapshot updated:\n${(s.changes ?? []).map((c) => `      ${c}`).join('\n')}`;
}

export function snapshotFilesLines(files: SavedSnapshotFile[]): string[] {
  return files.map((f) => {
    const parts = [
      f.recorded.length && `${f.recorded.length} recorded`,
      f.updated.length && `${f.updated.length} updated`,
      f.removed.length && `${f.removed.length} removed (${f.removed.join(', ')})`,
    ].filter(Boolean);
    return `  snapshot ${f.file} written: ${parts.join(', ') || 'rewritten in order'}`;
  });
}

export function runSummary(report: RunReport, dir: string): string {
  const { total, passed, failed } = report.summary;
  const lines: string[] = [];
  if (report.status === 'error') lines.push(`run ${report.runId}: error — ${report.error}`);
  else lines.push(`run ${report.runId}: ${report.status} — ${total} checks, ${passed} passed, ${failed} failed in ${formatDuration(report.durationMs)}`);
  for (const c of report.checks.filter((c) => c.status === 'failed')) {
    lines.push(`  ✗ ${c.suite} › ${c.name} (${c.target}): ${c.message}`);
    const logs = c.logs ?? [];
    const shown = fewest(logs, TERMINAL_LOG_LINES);
    for (const l of shown) lines.push(`      │ ${formatLogLine(l)}`);
    if (logs.length > shown.length) lines.push(`      │ … ${logs.length - shown.length} more in report.json`);
  }
  lines.push(`artifacts: ${dir}`);
  return lines.join('\n');
}

export function teardownLine(r: DownReport): string {
  const { containers, networks, volumes } = r.removed;
  const failed = r.failed.length ? `; ${r.failed.length} failed: ${r.failed.map((f) => `${f.kind} ${f.name}: ${f.error}`).join('; ')}` : '';
  return `  torn down: ${containers.length} containers, ${networks.length} networks, ${volumes.length} volumes in ${r.ms}ms${failed}`;
}
