// A query result's shape: its columns' names and types (and, with `values: true`, the rows).
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { SnapshotSettings } from '../../model/suite.js';
import { jsonShape, type Shape } from '../../snapshot/shape.js';
import { keySegment } from '../../snapshot/path.js';

const PG_TYPE_NAMES = new Map(Object.entries(pg.types.builtins).map(([name, oid]) => [oid as number, name.toLowerCase()]));
const MYSQL_TYPE_NAMES = mysql.Types as unknown as Record<number, string>;

function columnsShape(columns: { name: string; type: string }[]): Shape {
  return Object.fromEntries(columns.map((c) => [`columns${keySegment(c.name)}`, c.type]));
}

function rowsShape(rows: unknown[], settings: SnapshotSettings): Shape {
  return settings.values ? jsonShape(rows, 'rows', settings) : {};
}

export function postgresShape(res: { command: string; fields: { name: string; dataTypeID: number }[]; rows: unknown[] }, settings: SnapshotSettings): Shape {
  const columns = res.fields.map((f) => ({ name: f.name, type: PG_TYPE_NAMES.get(f.dataTypeID) ?? `oid ${f.dataTypeID}` }));
  return { command: res.command, ...columnsShape(columns), ...rowsShape(res.rows, settings) };
}

/** mysql2 gives rows and field packets for a result set, and an OK packet for anything else. */
export function mysqlShape(result: unknown, fields: { name: string; type?: number; columnType?: number }[] | undefined, settings: SnapshotSettings): Shape {
  if (!Array.isArray(result)) return { result: 'ok packet' };
  const columns = (fields ?? []).map((f) => {
    const code = f.columnType ?? f.type;
    return { name: f.name, type: code === undefined ? 'unknown' : (MYSQL_TYPE_NAMES[code]?.toLowerCase() ?? `type ${code}`) };
  });
  return { result: 'rows', ...columnsShape(columns), ...rowsShape(result, settings) };
}
