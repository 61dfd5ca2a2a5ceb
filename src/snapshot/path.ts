// Paths name one place in a shape: a root (`$` for a JSON body, `status`, `headers`, `columns`,
// `reply`...) followed by keys and array steps, e.g. `$.items[].name` or `headers.cache-control`.
// `[]` is "every element" (element shapes merged); `[0]` an index, used when values are recorded.
// Ignore patterns use the same syntax plus `[*]` and `.*` as wildcards.

export type Segment = { key: string } | { index: number } | { each: true } | { anyKey: true };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function keySegment(key: string): string {
  return PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function formatPath(root: string, segments: Segment[]): string {
  return (
    root +
    segments
      .map((s) => ('key' in s ? keySegment(s.key) : 'index' in s ? `[${s.index}]` : 'each' in s ? '[]' : '.*'))
      .join('')
  );
}

export interface ParsedPath {
  root: string;
  segments: Segment[];
}

const ROOT = /^(\$|[A-Za-z_][A-Za-z0-9_-]*)/;

/** Parses a path or an ignore pattern; throws with the position of what is wrong. */
export function parsePath(text: string): ParsedPath {
  const root = ROOT.exec(text)?.[1];
  if (!root) throw new Error(`must start with $ or a name such as status, headers, columns or reply`);
  const segments: Segment[] = [];
  let i = root.length;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\*/.exec(rest))) segments.push({ anyKey: true });
    else if ((m = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest))) segments.push({ key: m[1]! });
    else if ((m = /^\[(\*)?\]/.exec(rest))) segments.push({ each: true });
    else if ((m = /^\[(\d+)\]/.exec(rest))) segments.push({ index: Number(m[1]) });
    else if ((m = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest))) segments.push({ key: JSON.parse(m[1]!) as string });
    else throw new Error(`cannot read "${rest}" (expected .key, ["key"], [], [*] or [n])`);
    i += m[0].length;
  }
  return { root, segments };
}

/** Paths are compared segment by segment, so a parent sorts before its children and `[2]` before `[10]`. */
export function comparePaths(a: string, b: string): number {
  const pa = safeParse(a);
  const pb = safeParse(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.root !== pb.root) return pa.root < pb.root ? -1 : 1;
  const n = Math.min(pa.segments.length, pb.segments.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegments(pa.segments[i]!, pb.segments[i]!);
    if (c !== 0) return c;
  }
  return pa.segments.length - pb.segments.length;
}

function rank(s: Segment): number {
  return 'each' in s ? 0 : 'index' in s ? 1 : 2;
}

function compareSegments(a: Segment, b: Segment): number {
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if ('index' in a && 'index' in b) return a.index - b.index;
  if ('key' in a && 'key' in b) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  return 0;
}

function safeParse(text: string): ParsedPath | undefined {
  try {
    return parsePath(text);
  } catch {
    return undefined;
  }
}

/** True when `path` is `ancestor` itself or lies under it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (!path.startsWith(ancestor)) return false;
  const next = path[ancestor.length];
  return next === undefined || next === '.' || next === '[';
}
