// What a SQL check sent and got, for its transaction: the query, and the row count with the first rows.
import type { SqlOptions } from '../../model/suite.js';
import { MAX_ROWS, type TransactionRequest, type TransactionResponse } from '../../model/transaction.js';
import { excerpt } from '../transaction.js';

type Sql = 'postgres' | 'mysql';

export function sqlRequest(protocol: Sql, o: SqlOptions): TransactionRequest {
  return { protocol, user: o.user, ...(o.database ? { database: o.database } : {}), query: excerpt(o.query) };
}

export function sqlResponse(protocol: Sql, rows: unknown[], rowCount: number): TransactionResponse {
  // Through JSON so dates, big integers as strings and buffers become what the ndjson will hold anyway.
  const first = JSON.parse(JSON.stringify(rows.slice(0, MAX_ROWS), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>[];
  return { protocol, rowCount, rows: first };
}
