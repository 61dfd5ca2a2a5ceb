// A shape is what stays the same from one healthy answer to the next: a flat, ordered map from a
// path to what was found there (`$.items[].name` → `string`). Flat, so a snapshot file reads like
// a list of facts and a diff is one line per fact.
import { comparePaths, formatPath, type Segment } from './path.js';

export type Shape = Record<string, string>;

export interface ShapeOptions {
  /** Record values too (`string "espresso"`), and array elements by index instead of merged. */
  values: boolean;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function scalar(v: unknown, values: boolean): string {
  const type = typeOf(v);
  if (!values || type === 'null') return type;
  return `${type} ${JSON.stringify(v)}`;
}

/**
 * The structure of a JSON value under `root`: keys, value types, and every array's elements merged
 * into one element shape (a type seen as string in one element and null in another reads
 * `null | string`). With `values`, scalars carry their value and elements keep their index.
 */
export function jsonShape(value: unknown, root: string, opts: ShapeOptions): Shape {
  const found = new Map<string, Set<string>>();
  const walk = (v: unknown, segments: Segment[]) => {
    const path = formatPath(root, segments);
    const type = typeOf(v);
    const entry = found.get(path) ?? new Set<string>();
    found.set(path, entry);
    if (type === 'array') {
      entry.add('array');
      (v as unknown[]).forEach((item, index) => walk(item, [...segments, opts.values ? { index } : { each: true }]));
    } else if (type === 'object') {
      entry.add('object');
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) walk(item, [...segments, { key }]);
    } else {
      entry.add(scalar(v, opts.values));
    }
  };
  walk(value, []);
  return sortShape(Object.fromEntries([...found].map(([path, types]) => [path, [...types].sort().join(' | ')])));
}

/** The same entries in the one order every shape is kept in, so files and diffs are stable. */
export function sortShape(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => comparePaths(a, b)));
}

/** A text body: its JSON structure under `$` when it parses as JSON, else only that it is text. */
export function bodyShape(body: string, opts: ShapeOptions): Shape {
  if (body.length === 0) return { body: 'empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { body: opts.values ? `text ${JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}…` : body)}` : 'text' };
  }
  return jsonShape(parsed, '$', opts);
}
