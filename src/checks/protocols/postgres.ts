// PostgreSQL: connect with node-postgres, run the query, match rows. A new connection per attempt,
// like a service booting would make.
import pg from 'pg';
import type { CheckOf } from '../../model/suite.js';
import { rowsMismatch } from '../expect/rows.js';
import { sqlRequest, sqlResponse } from './sql-record.js';
import type { AttemptContext, AttemptOutcome, Protocol } from '../types.js';
import { onAbort } from './abort.js';
import { postgresShape } from '../shape/sql.js';

async function attempt(check: CheckOf<'postgres'>, ctx: AttemptContext): Promise<AttemptOutcome> {
  const o = check.options;
  const client = new pg.Client({
    host: check.host,
    port: check.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectionTimeoutMillis: ctx.timeoutMs,
    query_timeout: ctx.timeoutMs,
    application_name: 'envtest',
  });
  // Without a listener, an error after connect (server restart) would crash the runner.
  client.on('error', () => undefined);
  const off = onAbort(ctx.signal, () => void client.end().catch(() => undefined));
  ctx.record.sent(sqlRequest('postgres', o));
  try {
    await client.connect();
    ctx.record.mark('connect');
    const res = await client.query(o.query);
    ctx.record.received(sqlResponse('postgres', res.rows, res.rowCount ?? res.rows.length));
    const mismatch = rowsMismatch(check.expect, res.rows, res.rowCount ?? res.rows.length);
    if (mismatch) return { ok: false, message: mismatch };
    return { ok: true, note: `${res.rowCount ?? res.rows.length} rows`, ...(check.snapshot ? { shape: postgresShape(res, check.snapshot) } : {}) };
  } finally {
    off();
    await client.end().catch(() => undefined);
  }
}

export const postgres: Protocol<'postgres'> = { name: 'postgres', attempt };
