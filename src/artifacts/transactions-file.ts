// transactions.ndjson: one line per attempt and sample, appended as each arrives from the sidecar.
// Written synchronously so a line is with the OS the moment it is written: an envtest killed
// halfway leaves every transaction it received on record.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transaction } from '../model/transaction.js';
import type { Redactor } from '../text/redact.js';

export const TRANSACTIONS_FILE = 'transactions.ndjson';

export class TransactionLog {
  private fd: number | undefined;
  private count = 0;

  constructor(
    private readonly dir: string,
    private readonly redactor: Redactor,
  ) {}

  write(tx: Transaction): void {
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(join(this.dir, TRANSACTIONS_FILE), 'a');
    }
    writeSync(this.fd, `${this.redactor.redact(JSON.stringify(tx))}\n`);
    this.count++;
  }

  get written(): number {
    return this.count;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Every transaction of a run's artifacts folder; a torn last line (a crash mid-write) is skipped. */
export async function readTransactions(dir: string): Promise<Transaction[]> {
  let text: string;
  try {
    text = await readFile(join(dir, TRANSACTIONS_FILE), 'utf8');
  } catch {
    return [];
  }
  const out: Transaction[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Transaction);
    } catch {
      // Only the last line can be torn; the rest are whole.
    }
  }
  return out;
}
