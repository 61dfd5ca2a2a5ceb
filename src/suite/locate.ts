// Maps a key path in the parsed data back to a line in the YAML text, so every problem says where.
import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { KeyPath } from './interpolate.js';

export interface Locator {
  /** Line of the value at `path`, or of the nearest ancestor that exists. With `key`, the line of that key. */
  line(path: KeyPath, key?: string): number | undefined;
}

export function locator(doc: Document, lines: LineCounter): Locator {
  const lineAt = (node: unknown): number | undefined => {
    const range = (node as Node | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  return {
    line(path, key) {
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (node === undefined || node === null) continue;
        if (key !== undefined && n === path.length && isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
          if (pair) return lineAt(pair.key);
        }
        return lineAt(node);
      }
      return undefined;
    },
  };
}
