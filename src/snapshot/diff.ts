// What changed between the recorded shape and the one that came: one line per path, in shape
// order, naming what the snapshot held and what arrived. Under a path that appeared or vanished
// as a whole, its children are not listed again: `$.items: missing (was array)` says it all.
import { comparePaths, isWithin } from './path.js';
import type { Shape } from './shape.js';

export type ShapeChange =
  | { path: string; kind: 'missing'; was: string }
  | { path: string; kind: 'new'; now: string }
  | { path: string; kind: 'changed'; was: string; now: string };

export function diffShapes(recorded: Shape, current: Shape): ShapeChange[] {
  const paths = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort(comparePaths);
  const changes: ShapeChange[] = [];
  for (const path of paths) {
    const was = recorded[path];
    const now = current[path];
    if (was === now) continue;
    if (now === undefined) changes.push({ path, kind: 'missing', was: was! });
    else if (was === undefined) changes.push({ path, kind: 'new', now });
    else changes.push({ path, kind: 'changed', was, now });
  }
  return changes.filter(
    (c) => c.kind === 'changed' || !changes.some((p) => p !== c && p.kind === c.kind && isWithin(c.path, p.path)),
  );
}

export function formatChange(c: ShapeChange): string {
  if (c.kind === 'missing') return `${c.path}: missing (was ${c.was})`;
  if (c.kind === 'new') return `${c.path}: new (${c.now})`;
  return `${c.path}: ${c.now} (was ${c.was})`;
}
