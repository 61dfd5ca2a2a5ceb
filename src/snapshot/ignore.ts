// Volatile parts (timestamps, ids, a server's version header) are left out of a shape by path:
// `$.items[*].updatedAt` drops that key, and everything under it, from every element.
import { parsePath, type Segment } from './path.js';
import type { Shape } from './shape.js';

export type IgnoreMatcher = (path: string) => boolean;

function segmentMatches(pattern: Segment, actual: Segment): boolean {
  if ('anyKey' in pattern) return 'key' in actual;
  // `[*]` and `[]` cover both the merged element and every indexed one.
  if ('each' in pattern) return 'each' in actual || 'index' in actual;
  if ('index' in pattern) return 'index' in actual && actual.index === pattern.index;
  return 'key' in actual && actual.key === pattern.key;
}

/** Patterns must already be valid (the suite loader checks them with parsePath). */
export function ignoreMatcher(patterns: string[]): IgnoreMatcher {
  const parsed = patterns.map(parsePath);
  return (path) => {
    let actual;
    try {
      actual = parsePath(path);
    } catch {
      return false;
    }
    return parsed.some(
      (p) =>
        p.root === actual.root &&
        p.segments.length <= actual.segments.length &&
        p.segments.every((s, i) => segmentMatches(s, actual.segments[i]!)),
    );
  };
}

export function withoutIgnored(shape: Shape, patterns: string[]): Shape {
  if (patterns.length === 0) return shape;
  const ignored = ignoreMatcher(patterns);
  return Object.fromEntries(Object.entries(shape).filter(([path]) => !ignored(path)));
}
