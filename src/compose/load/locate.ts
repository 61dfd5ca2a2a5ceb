// After merging, a value no longer knows its file. The last file that spells out the exact key
// path is where it came from (later files win); failing that, the one with the deepest ancestor.
import type { Problem } from '../../errors.js';
import { dotted, lineOf, pathId, type KeyPath } from '../key-path.js';
import type { SourceDoc } from './yaml-source.js';

export function locate(docs: readonly SourceDoc[], path: KeyPath, message: string, severity?: 'warning'): Problem {
  let best: { doc: SourceDoc; depth: number } | undefined;
  for (const doc of docs) {
    for (let depth = path.length; depth > 0; depth--) {
      if (doc.lines.has(pathId(path.slice(0, depth)))) {
        if (!best || depth >= best.depth) best = { doc, depth };
        break;
      }
    }
  }
  const line = best ? lineOf(best.doc.lines, path) : undefined;
  return {
    ...(best ? { file: best.doc.display } : {}),
    ...(path.length ? { path: dotted(path) } : {}),
    ...(line !== undefined ? { line } : {}),
    message,
    ...(severity ? { severity } : {}),
  };
}
