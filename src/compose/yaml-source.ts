// One compose file parsed: its JS value plus what the YAML AST knows and the value forgets: the
// line of every key (problems must name it) and the `!reset` / `!override` tags (merge needs them).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { Problem } from '../errors.js';
import { pathId, type KeyPath } from './key-path.js';

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

export type ParseResult = { ok: true; doc: SourceDoc } | { ok: false; problems: Problem[] };

const MERGE_TAGS: Record<string, MergeTag> = { '!reset': 'reset', '!override': 'override' };

export function parseComposeYaml(text: string, file: string, display = file): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        // The parser's message repeats the position and quotes the source; keep the sentence only.
        const what = e.message.split(' at line ')[0]!.trim();
        return { file: display, line: pos.line, message: `YAML syntax error at line ${pos.line}, column ${pos.col}: ${what}` };
      }),
    };
  }
  octalModes(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    // Alias to an unknown anchor and alias bombs surface only here.
    return { ok: false, problems: [{ file: display, message: `YAML error: ${(e as Error).message}` }] };
  }
  if (data === null || data === undefined) {
    return { ok: false, problems: [{ file: display, message: 'empty compose file: expected a mapping with at least `services`' }] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ file: display, line: 1, message: `top level must be a mapping, got ${Array.isArray(data) ? 'a sequence' : typeof data}` }] };
  }
  const lines = new Map<string, number>();
  const tags = new Map<string, MergeTag>();
  walk(doc.contents as Node | null, [], (path, node, keyOffset) => {
    lines.set(pathId(path), lineCounter.linePos(keyOffset).line);
    const tag = node && !isAlias(node) ? MERGE_TAGS[(node as { tag?: string }).tag ?? ''] : undefined;
    if (tag) tags.set(pathId(path), tag);
  });
  return { ok: true, doc: { file, display, data: data as Record<string, unknown>, lines, tags } };
}

/**
 * File modes (`mode: 0440` of secrets, configs and tmpfs) are octal when written with a leading
 * zero, as in Compose (YAML 1.1 rules); YAML 1.2 would read 0440 as four hundred and forty.
 */
function octalModes(doc: ReturnType<typeof parseDocument>): void {
  visit(doc, {
    Pair(_, pair) {
      const value = pair.value;
      if (!isScalar(pair.key) || pair.key.value !== 'mode' || !isScalar(value) || value.type !== 'PLAIN') return;
      const source = (value as { source?: unknown }).source;
      if (typeof source === 'string' && /^0[0-7]+$/.test(source)) value.value = parseInt(source, 8);
    },
  });
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
