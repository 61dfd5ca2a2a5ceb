// The snapshot files of one run: read before the checks, each result judged against them as it
// arrives, and whatever was recorded or accepted written back at the end.
import { isAbsolute, relative } from 'node:path';
import type { CheckResult, SnapshotOutcome } from '../model/results.js';
import type { Check, Suite } from '../model/suite.js';
import { diffShapes, formatChange } from './diff.js';
import { readSnapshotFile, renderSnapshotFile, snapshotPathFor, SnapshotFileError, writeSnapshotFile, type SnapshotEntries } from './file.js';
import { withoutIgnored } from './ignore.js';
import type { Shape } from './shape.js';

export interface SnapshotMode {
  /** `-u`: accept every shape that came, rewrite the files, drop entries of checks that are gone. */
  update: boolean;
  /** In CI a missing snapshot fails instead of being recorded: CI must never write its own expectations. */
  ci: boolean;
  /** The command that records, for messages (`envtest run ... -u`). */
  recordCommand: string;
  /** Paths in messages are shown relative to this directory. */
  cwd: string;
  /** Applied to every shape before it is compared or written (values may hold secrets). */
  redact?: (shape: Shape) => Shape;
}

export interface SavedSnapshotFile {
  file: string;
  recorded: string[];
  updated: string[];
  /** Entries of checks no longer in the suite (or no longer snapshotted), dropped by -u. */
  removed: string[];
}

interface Book {
  path: string;
  suite: Suite;
  old: SnapshotEntries;
  pending: SnapshotEntries;
  recorded: string[];
  updated: string[];
}

export class SnapshotBook {
  private readonly judged = new Map<string, CheckResult>();

  private constructor(
    private readonly books: Map<string, Book>,
    private readonly mode: SnapshotMode,
  ) {}

  /** Reads the snapshot file of every suite that has a snapshotted check; throws SnapshotFileError. */
  static async open(suites: Suite[], mode: SnapshotMode): Promise<SnapshotBook> {
    const books = new Map<string, Book>();
    const byPath = new Map<string, Suite>();
    for (const suite of suites.filter((s) => s.checks.some((c) => c.snapshot))) {
      const path = snapshotPathFor(suite.file);
      const other = byPath.get(path);
      if (other) throw new SnapshotFileError(`${other.file} and ${suite.file} would share the snapshot file ${path}; rename one of them`);
      byPath.set(path, suite);
      books.set(suite.name, { path, suite, old: (await readSnapshotFile(path)) ?? {}, pending: {}, recorded: [], updated: [] });
    }
    return new SnapshotBook(books, mode);
  }

  /** The result as reported: the shape compared (and gone), a failure when it differs or is missing in CI. */
  judge(result: CheckResult): CheckResult {
    const key = `${result.suite}\u0000${result.name}`;
    const done = this.judged.get(key);
    if (done) return done;
    const judged = this.judgeOnce(result);
    this.judged.set(key, judged);
    return judged;
  }

  private judgeOnce(result: CheckResult): CheckResult {
    const { shape, ...rest } = result;
    const book = this.books.get(result.suite);
    const check = book?.suite.checks.find((c) => c.name === result.name);
    // A check that failed its own expectations has no trustworthy answer to compare or record.
    if (!book || !check?.snapshot || result.status !== 'passed' || !shape) return rest;
    const current = withoutIgnored(this.mode.redact ? this.mode.redact(shape) : shape, check.snapshot.ignore);
    const file = this.display(book.path);
    const recorded = book.old[check.name];
    const accept = (status: 'recorded' | 'updated' | 'matched', changes?: string[]): CheckResult => {
      book.pending[check.name] = { protocol: result.protocol, shape: current };
      if (status === 'recorded') book.recorded.push(check.name);
      if (status === 'updated') book.updated.push(check.name);
      return { ...rest, snapshot: outcome(status, file, changes) };
    };
    if (!recorded) {
      if (this.mode.update || !this.mode.ci) return accept('recorded');
      return {
        ...rest,
        status: 'failed',
        message: `no snapshot of this check in ${file}, and in CI (CI is set) none is recorded; record it with: ${this.mode.recordCommand}`,
        snapshot: outcome('missing', file),
      };
    }
    const changes = diffShapes(
      { protocol: recorded.protocol, ...withoutIgnored(recorded.shape, check.snapshot.ignore) },
      { protocol: result.protocol, ...current },
    ).map(formatChange);
    if (changes.length === 0) return this.mode.update ? accept('matched') : { ...rest, snapshot: outcome('matched', file) };
    if (this.mode.update) return accept('updated', changes);
    return {
      ...rest,
      status: 'failed',
      message: `the answer's shape differs from the snapshot in ${file} (if the change is intended, accept it with: ${this.mode.recordCommand}):\n${changes.map((c) => `    ${c}`).join('\n')}`,
      snapshot: outcome('changed', file, changes),
    };
  }

  /** Writes every file whose content changed; with -u, drops entries of checks that are gone. */
  async save(): Promise<SavedSnapshotFile[]> {
    const saved: SavedSnapshotFile[] = [];
    for (const book of this.books.values()) {
      const entries = this.mode.update ? this.kept(book) : { ...book.old, ...book.pending };
      const removed = Object.keys(book.old).filter((name) => !(name in entries));
      const before = Object.keys(book.old).length > 0 ? renderSnapshotFile(book.suite.file, book.old) : undefined;
      const after = renderSnapshotFile(book.suite.file, entries);
      if (Object.keys(entries).length === 0 || after === before) continue;
      await writeSnapshotFile(book.path, after);
      saved.push({ file: this.display(book.path), recorded: book.recorded, updated: book.updated, removed });
    }
    return saved;
  }

  /** Under -u: what came now, and the old entry of a snapshotted check that did not pass this time. */
  private kept(book: Book): SnapshotEntries {
    const snapshotted = new Set(book.suite.checks.filter((c: Check) => c.snapshot).map((c) => c.name));
    const entries: SnapshotEntries = {};
    for (const name of snapshotted) {
      const entry = book.pending[name] ?? book.old[name];
      if (entry) entries[name] = entry;
    }
    return entries;
  }

  private display(path: string): string {
    const rel = relative(this.mode.cwd, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }
}

function outcome(status: SnapshotOutcome['status'], file: string, changes?: string[]): SnapshotOutcome {
  return changes?.length ? { status, file, changes } : { status, file };
}
