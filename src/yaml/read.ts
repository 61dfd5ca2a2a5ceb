// Untrusted YAML (compose files, suites) to a document and plain data, with every way it can go wrong
// as a sentence with file and line: a size limit, binary data and raw control characters refused
// without echoing them, syntax errors at the construct left open, duplicate keys found in linear
// time (the parser's own check is quadratic in a mapping's size), alias bombs and deep nesting.
import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, type CST, type Document, type Node, type YAMLError } from 'yaml';
import { flowTooDeep, walkCst } from './cst.js';
import type { Problem } from '../errors.js';
import { closerOf, openConstructs, openKindOf } from './open-construct.js';

/** Larger files are refused: nobody writes one by hand, and parsing cost and memory grow with size. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
/** Deeper nesting is refused: no real file comes near it, and every later walk is recursive. */
export const MAX_YAML_DEPTH = 64;
/** Aliases expanded per document; the alias bomb is a few lines of YAML that expand to gigabytes. */
export const MAX_YAML_ALIASES = 10_000;

export interface ParsedYaml {
  /** The `---` separated documents, at least one. */
  docs: Document[];
  lines: LineCounter;
}

export type Read<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const fail = (problems: Problem[]): { ok: false; problems: Problem[] } => ({ ok: false, problems });

/**
 * Parses `text`; `file` is how problems name it, `what` what it should be ("compose file", "suite").
 * Several `---` separated documents only with `documents: 'many'` (compose merges them).
 */
export function parseYaml(text: string, file: string, what: string, documents: 'one' | 'many' = 'one'): Read<ParsedYaml> {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    // Readers stop just past the limit, so the real size may be larger still.
    return fail([{ file, message: `is larger than ${mib(MAX_YAML_BYTES)}, the most envtest reads for a ${what}` }]);
  }
  const lines = new LineCounter();
  const bad = unprintable(text);
  if (bad) {
    // Count lines only up to the bad character: the text itself is never echoed back.
    const line = text.slice(0, bad.index).split('\n').length;
    return fail([{ file, line, message: bad.binary ? `is not a text file (binary data on line ${line}); a ${what} is YAML text` : `holds a raw control character (${bad.code}) on line ${line}; write it escaped inside double quotes, e.g. "\\u001b"` }]);
  }
  const deepFlow = flowTooDeep(text, MAX_YAML_DEPTH);
  if (deepFlow !== undefined) return fail([{ file, line: lines.linePos(deepFlow).line, message: tooDeep() }]);
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  let deep: number | undefined;
  walkCst(tokens, (token, depth) => {
    if (depth < MAX_YAML_DEPTH) return false;
    deep = token.offset;
    return true;
  });
  if (deep !== undefined) return fail([{ file, line: lines.linePos(deep).line, message: tooDeep() }]);
  const docs = Array.from(new Composer({ merge: true, uniqueKeys: false }).compose(tokens, true, text.length));
  if (docs.length > 1 && documents === 'one') {
    return fail([{ file, line: lines.linePos(docs[1]!.range[0]).line, message: `holds several YAML documents; a ${what} is one` }]);
  }
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length > 0) return fail(syntaxProblems(tokens, errors, lines, file));
  const duplicates = docs.flatMap((d) => duplicateKeys(d.contents as Node | null, lines, file));
  if (duplicates.length) return fail(duplicates);
  return { ok: true, value: { docs, lines } };
}

/** The document as plain data, aliases and `<<` merge keys expanded within bounds. */
export function yamlData(doc: Document, file: string): Read<unknown> {
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    // Aliases of aliases nest deeper than the text shows.
    return deeperThan(value, MAX_YAML_DEPTH) ? fail([{ file, message: tooDeep() }]) : { ok: true, value };
  } catch (e) {
    if (e instanceof RangeError) return fail([{ file, message: tooDeep() }]);
    // An alias to an unknown anchor, or too many aliases, surfaces only here.
    const message = (e as Error).message;
    if (/Excessive alias count/.test(message)) {
      return fail([{ file, message: `YAML aliases expand to more than ${MAX_YAML_ALIASES} nodes (an alias bomb?); refused` }]);
    }
    return fail([{ file, message: `YAML error: ${message}` }]);
  }
}

const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;
const tooDeep = () => `nested too deeply (more than ${MAX_YAML_DEPTH} levels)`;

/** C0 controls other than tab and line breaks, DEL, C1 controls but NEL, and U+FFFD (bytes that are not UTF-8). */
function unprintable(text: string): { index: number; binary: boolean; code: string } | undefined {
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffd]/.exec(text);
  if (!m) return undefined;
  const c = m[0].charCodeAt(0);
  return { index: m.index, binary: c === 0 || c === 0xfffd, code: `U+${c.toString(16).toUpperCase().padStart(4, '0')}` };
}

function syntaxProblems(tokens: CST.Token[], errors: YAMLError[], lines: LineCounter, file: string): Problem[] {
  if (errors.some((e) => e.message.includes('Maximum call stack'))) {
    return [{ file, line: lines.linePos(errors[0]!.pos[0]).line, message: tooDeep() }];
  }
  const open = errors.some((e) => openKindOf(e.message)) ? openConstructs(tokens) : [];
  const used = new Set<number>();
  const out: Problem[] = [];
  for (const e of errors) {
    const kind = openKindOf(e.message);
    // The construct the error is about: the last of its kind opened before the error, not yet blamed.
    const construct = kind && open.filter((c) => c.kind === kind && c.offset <= e.pos[0] && !used.has(c.offset)).pop();
    if (construct) {
      used.add(construct.offset);
      const at = lines.linePos(construct.offset);
      out.push({ file, line: at.line, message: `YAML syntax error at line ${at.line}, column ${at.col}: this ${construct.kind} is never closed with ${closerOf(construct.kind)}` });
      continue;
    }
    const at = lines.linePos(e.pos[0]);
    // The parser's message repeats the position and quotes the source; keep the sentence only.
    const what = e.message.split(' at line ')[0]!.trim();
    out.push({ file, line: at.line, message: `YAML syntax error at line ${at.line}, column ${at.col}: ${what}` });
  }
  return out;
}

function deeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function children(node: Node | null): (Node | null)[] {
  if (isMap(node)) return node.items.flatMap((p) => [p.key as Node | null, p.value as Node | null]);
  if (isSeq(node)) return node.items as (Node | null)[];
  return [];
}

function duplicateKeys(root: Node | null, lines: LineCounter, file: string): Problem[] {
  const out: Problem[] = [];
  const stack: (Node | null)[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || pair.key.value === '<<') continue;
        const line = pair.key.range ? lines.linePos(pair.key.range[0]).line : undefined;
        const first = seen.get(pair.key.value);
        if (first !== undefined) out.push({ file, line, message: `duplicate key ${JSON.stringify(String(pair.key.value))} (first on line ${first}); YAML keys must be unique` });
        else seen.set(pair.key.value, line ?? 0);
      }
    }
    stack.push(...children(node));
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
