// The YAML CST walked without recursion: hostile input nests thousands of levels deep, and a stack
// overflow near V8's limit can take the whole process down instead of throwing.
import { Lexer, type CST } from 'yaml';

/** Calls `visit` on every token with its collection depth; stops early when `visit` returns true. */
export function walkCst(tokens: readonly CST.Token[], visit: (token: CST.Token, depth: number) => boolean | void): void {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    if (visit(token, depth)) return;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
}

// Lexer markers that stand for no source text.
const MARKERS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Offset of the first `[` or `{` nested deeper than `max`, found by the lexer alone: the CST parser
 * slows down on very deep flow nesting, so this runs first.
 */
export function flowTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > max) return offset;
    } else if (token === ']' || token === '}') {
      depth--;
    }
    if (!MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}
