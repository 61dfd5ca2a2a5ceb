// The YAML parser notices a `[`, `{` or quote left open only where the text runs out or the next key
// starts, and reports that place. The user needs the place where it was opened: walk the CST for
// collections and quoted scalars that never close.
import type { CST } from 'yaml';
import { walkCst } from './cst.js';

export type OpenKind = 'flow sequence' | 'flow mapping' | 'double-quoted string' | 'single-quoted string';

export interface OpenConstruct {
  kind: OpenKind;
  offset: number;
}

const CLOSER: Record<OpenKind, string> = { 'flow sequence': ']', 'flow mapping': '}', 'double-quoted string': '"', 'single-quoted string': "'" };
export const closerOf = (kind: OpenKind): string => CLOSER[kind];

/** Which kind of open construct a parser error complains about, if any. */
export function openKindOf(message: string): OpenKind | undefined {
  if (/^Flow sequence\b/.test(message) || /end with a \]/.test(message)) return 'flow sequence';
  if (/^Flow map\b/.test(message) || /end with a \}/.test(message)) return 'flow mapping';
  if (message.includes('Missing closing "quote')) return 'double-quoted string';
  if (message.includes("Missing closing 'quote")) return 'single-quoted string';
  return undefined;
}

function unclosedQuote(source: string, quote: string): boolean {
  if (source.length < 2 || !source.endsWith(quote)) return true;
  if (quote === "'") return false;
  // `"…\"` ends in an escaped quote, not a closing one.
  const backslashes = /\\*$/.exec(source.slice(0, -1))![0].length;
  return backslashes % 2 === 1;
}

function inspect(token: CST.Token, out: OpenConstruct[]): void {
  if (token.type === 'flow-collection') {
    const kind = token.start.source === '[' ? 'flow sequence' : 'flow mapping';
    if (!token.end.some((t) => t.source === CLOSER[kind])) out.push({ kind, offset: token.offset });
  } else if (token.type === 'double-quoted-scalar' && unclosedQuote(token.source, '"')) {
    out.push({ kind: 'double-quoted string', offset: token.offset });
  } else if (token.type === 'single-quoted-scalar' && unclosedQuote(token.source, "'")) {
    out.push({ kind: 'single-quoted string', offset: token.offset });
  }
}

/** Every flow collection and quoted scalar that is never closed, in text order. */
export function openConstructs(tokens: readonly CST.Token[]): OpenConstruct[] {
  const out: OpenConstruct[] = [];
  walkCst(tokens, (token) => inspect(token, out));
  return out.sort((a, b) => a.offset - b.offset);
}
