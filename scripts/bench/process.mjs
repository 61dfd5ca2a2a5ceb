// Runs a command and samples its peak resident memory from /proc while it lives: the process's own
// VmHWM plus what its descendants hold at that moment, so a helper process cannot hide memory.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';

function statusKb(pid, field) {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited between two samples
  }
}

function descendants(pid) {
  let kids = [];
  try {
    for (const tid of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean)) {
      kids.push(Number(tid), ...descendants(Number(tid)));
    }
  } catch {
    // gone
  }
  return kids;
}

/** The measured commands still running: an interrupted bench passes its signal on to them. */
export const running = new Set();

/**
 * Resolves { ms, peakMb, exitCode, output } whatever the exit code; the caller decides what a
 * failure means for its row.
 */
export async function measure(cmd, args, opts = {}) {
  const started = performance.now();
  const child = execa(cmd, args, { reject: false, all: true, ...opts });
  let peakKb = 0;
  const sample = () => {
    if (!child.pid) return;
    const own = statusKb(child.pid, 'VmHWM');
    const kids = descendants(child.pid).reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0);
    peakKb = Math.max(peakKb, own + kids);
  };
  const timer = setInterval(sample, 25);
  running.add(child);
  const result = await child.finally(() => running.delete(child));
  clearInterval(timer);
  return { ms: performance.now() - started, peakMb: peakKb / 1024, exitCode: result.exitCode, output: result.all ?? '' };
}

/** Like measure, but a non-zero exit is an error carrying the command's output. */
export async function measureOk(cmd, args, opts = {}) {
  const r = await measure(cmd, args, opts);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.exitCode}:\n${r.output.slice(-3000)}`);
  return r;
}
