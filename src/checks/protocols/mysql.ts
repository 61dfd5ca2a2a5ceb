// MySQL / MariaDB through mysql2. SELECTs give rows; other statements give an affectedRows count,
// which is what rowCount then means.
import mysql from 'mysql2/promise';
import type { CheckOf } from '../../model/suite.js';
import { rowsMismatch } from '../expect/rows.js';
import { sqlRequest, sqlResponse } from './sql-record.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { onAbort } from './abort.js';
import { mysqlShape } from '../shape/sql.js';

async function attempt(check: CheckOf<'mysql'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const o = check.options;
  ctx.record.sent(sqlRequest('mysql', o));
  const conn = await mysql.createConnection({
    host: check.host,
    port: check.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectTimeout: ctx.timeoutMs,
  });
  conn.on('error', () => undefined);
  ctx.record.mark('connect');
  const off = onAbort(ctx.signal, () => conn.destroy());
  try {
    const [result, fields] = await conn.query({ sql: o.query, timeout: ctx.timeoutMs });
    const rows = Array.isArray(result) ? (result as unknown[]) : [];
    const count = Array.isArray(result) ? result.length : ((result as { affectedRows?: number }).affectedRows ?? 0);
    ctx.record.received(sqlResponse('mysql', rows, count));
    const mismatch = rowsMismatch(check.expect, rows, count);
    if (mismatch) return { ok: false, message: mismatch };
    return { ok: true, note: `${count} rows`, ...(check.snapshot ? { shape: mysqlShape(result, fields, check.snapshot) } : {}) };
  } finally {
    off();
    await conn.end().catch(() => undefined);
  }
}

export const mysqlProtocol: Protocol<'mysql'> = { name: 'mysql', attempt };
