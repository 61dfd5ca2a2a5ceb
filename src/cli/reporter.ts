// The human side of progress: short lines on stderr, so stdout stays clean for machine output.
import { formatDuration } from '../model/duration.js';
import type { ProgressListener } from '../library/start.js';
import type { RunExtras } from '../library/run.js';
import { checkReporter, teardownLine } from './check-reporter.js';
import type { CommandContext } from './context.js';

/** How `run` and `reproduce` show a run on the terminal, and the signal and command line it runs under. */
export function runReporting(ctx: CommandContext): Pick<RunExtras, 'progress' | 'onCheck' | 'onTeardown' | 'signal' | 'commandLine'> {
  return {
    progress: terminalProgress(ctx.err),
    onCheck: checkReporter({ line: ctx.err, status: ctx.liveStatus }),
    onTeardown: (r) => ctx.err(teardownLine(r)),
    signal: ctx.signals.signal,
    commandLine: process.argv.slice(2),
  };
}

export function terminalProgress(write: (line: string) => void): ProgressListener {
  return (e) => {
    switch (e.type) {
      case 'image':
        if (e.action === 'building' || e.action === 'pulling') write(`  ${e.action} ${e.image} (${e.service})`);
        else if (e.action === 'unchanged') write(`  ${e.image} unchanged since its last build, not rebuilt (${e.service}; --build forces it)`);
        else if (e.action !== 'present') write(`  ${e.action} ${e.image} in ${formatDuration(e.ms ?? 0)}`);
        return;
      case 'service':
        if (e.phase === 'ready') write(`  ✓ ${e.service} ${e.detail ?? 'ready'} at +${formatDuration(e.ms)}`);
        else if (e.phase === 'failed') write(`  ✗ ${e.service} failed at +${formatDuration(e.ms)}`);
        else if (e.phase === 'started') write(`  · ${e.service} started at +${formatDuration(e.ms)}`);
        else if (e.phase === 'waiting') write(`  ! ${e.service} at +${formatDuration(e.ms)}: ${e.detail}`);
        return;
      case 'teardown':
        write(`  removed ${e.removed} resources in ${formatDuration(e.ms)}${e.failed ? `, ${e.failed} could not be removed` : ''}`);
        return;
      case 'warning':
        write(`warning: ${e.message}`);
        return;
    }
  };
}
