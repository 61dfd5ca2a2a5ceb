// `__snapshots__/<suite>.snap.yaml` beside each suite: a readable file meant to be committed and
// reviewed. Checks in name order and each shape in path order, so an unchanged answer rewrites
// the same bytes and a changed one shows as the few lines that changed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import { sortShape, type Shape } from './shape.js';

export interface SnapshotEntry {
  protocol: string;
  shape: Shape;
}

/** Check name → what was recorded for it. */
export type SnapshotEntries = Record<string, SnapshotEntry>;

export class SnapshotFileError extends Error {}

export function snapshotPathFor(suiteFile: string): string {
  return join(dirname(suiteFile), '__snapshots__', `${basename(suiteFile).replace(/\.ya?ml$/i, '')}.snap.yaml`);
}

/** The entries, or undefined when there is no file yet. */
export async function readSnapshotFile(path: string): Promise<SnapshotEntries | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseSnapshotText(text, path);
}

export function parseSnapshotText(text: string, path: string): SnapshotEntries {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new SnapshotFileError(`${path}: not valid YAML: ${doc.errors[0]!.message}`);
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) return {};
  if (!isMap(doc.contents)) throw new SnapshotFileError(`${path}: expected a mapping of check names to snapshots`);
  const entries: SnapshotEntries = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const entry = value as { protocol?: unknown; shape?: unknown } | null;
    const shape = entry?.shape;
    if (typeof entry?.protocol !== 'string' || shape === null || typeof shape !== 'object' || Array.isArray(shape)) {
      throw new SnapshotFileError(`${path}: "${name}" needs protocol (a string) and shape (a mapping of path to type); re-record with -u`);
    }
    entries[name] = { protocol: entry.protocol, shape: Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, String(v)])) };
  }
  return entries;
}

export function renderSnapshotFile(suiteFile: string, entries: SnapshotEntries): string {
  const ordered = Object.fromEntries(
    Object.keys(entries)
      .sort()
      .map((name) => [name, { protocol: entries[name]!.protocol, shape: sortShape(entries[name]!.shape) }]),
  );
  const header = [
    `# envtest snapshots for ${basename(suiteFile)}: the shape of what each check's port answered.`,
    '# Written by `envtest run -u`. Commit it, and review its changes like code.',
  ].join('\n');
  // Every value a string, so `200` and `true` read back exactly as written.
  const body = stringify(ordered, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  return `${header}\n${body}`;
}

export async function writeSnapshotFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

