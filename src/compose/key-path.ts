// Key paths locate a value in a compose document. Problems show them dotted
// (`services.web.ports.0`); maps keyed by path use a NUL join because label keys contain dots.

export type KeyPath = readonly (string | number)[];

export function dotted(path: KeyPath): string {
  return path.join('.');
}

export function pathId(path: KeyPath): string {
  return path.join('\0');
}

/** Line of the deepest ancestor of `path` the map knows: merged and aliased values have no line of their own. */
export function lineOf(lines: ReadonlyMap<string, number>, path: KeyPath): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const line = lines.get(pathId(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
