import { describe, expect, it } from 'vitest';
import { httpShape } from '../../../src/checks/shape/http.js';
import { messageShape } from '../../../src/checks/shape/message.js';
import { mysqlShape, postgresShape } from '../../../src/checks/shape/sql.js';

const types = { values: false, ignore: [] };
const values = { values: true, ignore: [] };

describe('protocol shapes', () => {
  const res = {
    status: 200,
    headers: {
      'content-type': 'application/json;charset=UTF-8',
      date: 'Sun, 29 Nov 2026 15:00:00 GMT',
      'content-length': '20',
      server: 'nginx/1.22',
      etag: '"abc"',
      'set-cookie': ['a=1', 'b=2'],
    },
    body: '{"items":[{"id":1}]}',
  };

  it('http: status, content type, which headers came (not their values), body structure', () => {
    expect(httpShape(res, types)).toEqual({
      status: '200',
      'content-type': 'application/json; charset=utf-8',
      'headers.server': 'present',
      'headers.etag': 'present',
      'headers.set-cookie': 'present',
      $: 'object',
      '$.items': 'array',
      '$.items[]': 'object',
      '$.items[].id': 'number',
    });
  });

  it('http with values: header values too, except those that change by nature', () => {
    const shape = httpShape(res, values);
    expect(shape['headers.server']).toBe('present "nginx/1.22"');
    expect(shape['headers.etag']).toBe('present');
    expect(shape['$.items[0].id']).toBe('number 1');
    expect(httpShape({ status: 204, headers: {}, body: '' }, types)).toEqual({ status: '204', 'content-type': 'none', body: 'empty' });
  });

  it('postgres: the command and each column with its type name', () => {
    const fields = [
      { name: 'id', dataTypeID: 23 },
      { name: 'name', dataTypeID: 25 },
      { name: 'tags', dataTypeID: 1009 },
    ];
    expect(postgresShape({ command: 'SELECT', fields, rows: [{ id: 1 }] }, types)).toEqual({
      command: 'SELECT',
      'columns.id': 'int4',
      'columns.name': 'text',
      'columns.tags': 'oid 1009',
    });
    expect(postgresShape({ command: 'SELECT', fields: [], rows: [{ id: 1 }] }, values)).toMatchObject({ 'rows[0].id': 'number 1' });
  });

  it('mysql: columns with type names, or an ok packet for a statement without rows', () => {
    expect(mysqlShape([{ id: 1 }], [{ name: 'id', columnType: 3 }, { name: 'city', type: 253 }], types)).toEqual({
      result: 'rows',
      'columns.id': 'long',
      'columns.city': 'var_string',
    });
    expect(mysqlShape({ affectedRows: 2 }, undefined, types)).toEqual({ result: 'ok packet' });
  });

  it('messages: content type and JSON structure', () => {
    expect(messageShape(undefined, '{"id":1}', types)).toEqual({ 'content-type': 'none', $: 'object', '$.id': 'number' });
    expect(messageShape('text/plain', 'hi', types)).toEqual({ 'content-type': 'text/plain', body: 'text' });
  });
});
