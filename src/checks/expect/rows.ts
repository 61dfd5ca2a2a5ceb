// SQL result expectations: a row count, and/or rows matched as subsets in order.
import type { SqlExpect } from '../../model/suite.js';
import { subsetMismatch } from './subset.js';

export function rowsMismatch(expected: Pick<SqlExpect, 'rows' | 'rowCount'>, rows: unknown[], rowCount: number): string | undefined {
  if (expected.rowCount !== undefined && rowCount !== expected.rowCount) {
    return `expected rowCount ${expected.rowCount}, got ${rowCount}`;
  }
  if (expected.rows === undefined) return undefined;
  return subsetMismatch(expected.rows, rows, 'rows', { looseScalars: true });
}
