// One compose file parsed: its JS value plus what the YAML AST knows and the value forgets: the
// line of every key (problems must name it) and the `!reset` / `!override` tags (merge needs them).
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Problem } from '../../errors.js';
import { parseYaml, yamlData } from '../../yaml/read.js';
import { pathId, type KeyPath } from '../key-path.js';

export type MergeTag = 'reset' | 'override';

export interface SourceDoc {
  /** Absolute path of the file (or a label for in-memory documents). */
  file: string;
  /** How problems name the file: relative to the working directory when inside it. */
  display: string;
  data: Record<string, unknown>;
  lines: Map<string, number>;
  tags: Map<string, MergeTag>;
}

export type ParseResult = { ok: true; docs: SourceDoc[] } | { ok: false; problems: Problem[] };

const MERGE_TAGS: Record<string, MergeTag> = { '!reset': 'reset', '!override': 'override' };

/** Every document of the file (`---` separated), each merged over the previous one by the loader, as compose-go does. */
export function parseComposeYaml(text: string, file: string, display = file): ParseResult {
  const parsed = parseYaml(text, display, 'compose file', 'many');
  if (!parsed.ok) return parsed;
  const { docs: documents, lines: lineCounter } = parsed.value;
  const docs: SourceDoc[] = [];
  for (const doc of documents) {
    octalModes(doc);
    const read = yamlData(doc, display);
    if (!read.ok) return read;
    const data = read.value;
    // An empty document between `---` separators adds nothing; an empty file is refused below.
    if ((data === null || data === undefined) && documents.length > 1) continue;
    if (data === null || data === undefined) {
      return { ok: false, problems: [{ file: display, message: 'empty compose file: expected a mapping with at least `services`' }] };
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      const line = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line;
      return { ok: false, problems: [{ file: display, line, message: `top level must be a mapping, got ${Array.isArray(data) ? 'a sequence' : typeof data}` }] };
    }
    const nonString = nonStringKey(doc.contents as Node | null);
    if (nonString) {
      const pos = lineCounter.linePos(nonString.range?.[0] ?? 0);
      const key = String((nonString as { value?: unknown }).value);
      return { ok: false, problems: [{ file: display, line: pos.line, message: `key ${key} is not a string: quote it ("${key}"), as Compose reads keys only as strings` }] };
    }
    const lines = new Map<string, number>();
    const tags = new Map<string, MergeTag>();
    walk(doc.contents as Node | null, [], (path, node, keyOffset) => {
      lines.set(pathId(path), lineCounter.linePos(keyOffset).line);
      const tag = node && !isAlias(node) ? MERGE_TAGS[(node as { tag?: string }).tag ?? ''] : undefined;
      if (tag) tags.set(pathId(path), tag);
    });
    docs.push({ file, display, data: data as Record<string, unknown>, lines, tags });
  }
  if (!docs.length) return { ok: false, problems: [{ file: display, message: 'empty compose file: expected a mapping with at least `services`' }] };
  return { ok: true, docs };
}

/**
 * File modes (`mode: 0440` of secrets, configs and tmpfs) are octal when written with a leading
 * zero, as in Compose (YAML 1.1 rules); YAML 1.2 would read 0440 as four hundred and forty.
 */
function octalModes(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      const value = pair.value;
      if (!isScalar(pair.key) || pair.key.value !== 'mode' || !isScalar(value) || value.type !== 'PLAIN') return;
      const source = (value as { source?: unknown }).source;
      if (typeof source === 'string' && /^0[0-7]+$/.test(source)) value.value = parseInt(source, 8);
    },
  });
}

/** The first mapping key that YAML reads as a number, boolean or null (compose-go refuses those). */
function nonStringKey(node: Node | null): Node | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      // `<<` (a merge key) is a symbol to the parser, not a key of the document.
      if (isScalar(pair.key) && typeof pair.key.value !== 'string' && typeof pair.key.value !== 'symbol') return pair.key;
      const inner = nonStringKey(pair.value as Node | null);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = nonStringKey(item as Node | null);
      if (inner) return inner;
    }
  }
  return undefined;
}

type Visit = (path: KeyPath, node: Node | null, keyOffset: number) => void;

function walk(node: Node | null, path: KeyPath, visit: Visit): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || key === '<<') continue;
      const child = [...path, key];
      const value = (pair.value ?? null) as Node | null;
      visit(child, value, (pair.key as Node).range?.[0] ?? 0);
      walk(value, child, visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const child = [...path, i];
      visit(child, item as Node, (item as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0);
      walk(item as Node, child, visit);
    });
  }
}
