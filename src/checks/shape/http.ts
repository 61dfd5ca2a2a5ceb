// An HTTP answer's shape: status, content type, which headers came, and the body's structure.
import type { IncomingHttpHeaders } from 'node:http';
import type { SnapshotSettings } from '../../model/suite.js';
import { bodyShape, type Shape } from '../../snapshot/shape.js';

/** Differ from one request to the next by nature, or by how the body happened to be framed. */
const NEVER_RECORDED = new Set(['date', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-type']);
/** Their presence is part of the contract, their values are not, even with `values: true`. */
const PRESENCE_ONLY = new Set(['etag', 'last-modified', 'age', 'expires', 'set-cookie', 'x-request-id', 'x-correlation-id', 'traceparent']);

export function httpShape(res: { status: number; headers: IncomingHttpHeaders; body: string }, settings: SnapshotSettings): Shape {
  const contentType = res.headers['content-type'];
  const shape: Shape = {
    status: String(res.status),
    'content-type': contentType === undefined ? 'none' : contentType.toLowerCase().replace(/\s*;\s*/g, '; '),
  };
  for (const [name, value] of Object.entries(res.headers)) {
    if (NEVER_RECORDED.has(name) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    shape[`headers${name.includes('.') ? `["${name}"]` : `.${name}`}`] = settings.values && !PRESENCE_ONLY.has(name) ? `present ${JSON.stringify(text)}` : 'present';
  }
  return { ...shape, ...bodyShape(res.body, settings) };
}
