import { describe, expect, it } from 'vitest';
import { bodyMismatch, jsonMismatch } from '../../../src/checks/expect/body.js';
import { headerMismatches } from '../../../src/checks/expect/headers.js';
import { replyMismatch } from '../../../src/checks/expect/reply.js';
import { rowsMismatch } from '../../../src/checks/expect/rows.js';
import { statusMismatch } from '../../../src/checks/expect/status.js';
import { subsetMismatch } from '../../../src/checks/expect/subset.js';
import { redact } from '../../../src/checks/redact.js';

describe('subset matching', () => {
  it('matches objects by key and ignores extra keys', () => {
    expect(subsetMismatch({ status: 'ok' }, { status: 'ok', version: 3 })).toBeUndefined();
    expect(subsetMismatch({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBeUndefined();
  });
  it('matches arrays element by element; the actual array may be longer', () => {
    expect(subsetMismatch([{ id: 1 }, { id: 2 }], [{ id: 1, x: 0 }, { id: 2 }, { id: 3 }])).toBeUndefined();
    expect(subsetMismatch([{ id: 1 }, { id: 2 }], [{ id: 2 }, { id: 1 }])).toBe('$[0].id: expected 1, got 2');
    expect(subsetMismatch([1, 2], [1])).toBe('$: expected at least 2 items, got 1');
  });
  it('names the path of the first mismatch', () => {
    expect(subsetMismatch({ db: { state: 'up' } }, { db: { state: 'down' } })).toBe('$.db.state: expected "up", got "down"');
    expect(subsetMismatch({ 'content-type': 'x' }, {})).toBe('$["content-type"]: expected "x", got nothing');
    expect(subsetMismatch({ a: 1 }, [1])).toBe('$: expected an object, got [1]');
    expect(subsetMismatch({ a: null }, { a: 0 })).toBe('$.a: expected null, got 0');
  });
  it('is strict about scalar types unless asked to be loose', () => {
    expect(subsetMismatch(1, '1')).toBe('$: expected 1, got "1"');
    expect(subsetMismatch(1, '1', '$', { looseScalars: true })).toBeUndefined();
    expect(subsetMismatch(null, 'null', '$', { looseScalars: true })).toBe('$: expected null, got "null"');
  });
});

describe('http matchers', () => {
  it('status: a list, or 2xx/3xx by default', () => {
    expect(statusMismatch([200], 200)).toBeUndefined();
    expect(statusMismatch([200, 204], 503)).toBe('expected status 200 or 204, got 503');
    expect(statusMismatch(undefined, 302)).toBeUndefined();
    expect(statusMismatch(undefined, 404)).toBe('expected status 2xx or 3xx, got 404');
  });
  it('headers: exact or regex, case-insensitive names, missing reported', () => {
    const got = { 'content-type': 'application/json; charset=utf-8', 'set-cookie': ['a=1', 'b=2'] };
    expect(headerMismatches({ 'content-type': { matches: '^application/json' } }, got)).toEqual([]);
    expect(headerMismatches({ 'content-type': 'application/json' }, got)).toEqual([
      'expected header content-type "application/json", got "application/json; charset=utf-8"',
    ]);
    expect(headerMismatches({ 'set-cookie': 'a=1, b=2' }, got)).toEqual([]);
    expect(headerMismatches({ 'x-id': { matches: '\\d+' } }, got)).toEqual(['expected header x-id matching /\\d+/, got none']);
  });
  it('body: contains, equals, matches', () => {
    expect(bodyMismatch({ contains: 'ok' }, 'all ok')).toBeUndefined();
    expect(bodyMismatch({ contains: 'ok' }, 'down')).toBe('expected body to contain "ok", got "down"');
    expect(bodyMismatch({ equals: 'ok' }, 'ok\n')).toBe('expected body "ok", got "ok\\n"');
    expect(bodyMismatch({ matches: '^v\\d+' }, 'v12')).toBeUndefined();
    expect(bodyMismatch({ contains: 'x' }, 'y'.repeat(300))).toBe(`expected body to contain "x", got "${'y'.repeat(200)}…"`);
  });
  it('json: parses and subset-matches', () => {
    expect(jsonMismatch({ status: 'ok' }, '{"status":"ok","n":1}')).toBeUndefined();
    expect(jsonMismatch({ status: 'ok' }, '{"status":"down"}')).toBe('json $.status: expected "ok", got "down"');
    expect(jsonMismatch({ status: 'ok' }, '<html>')).toBe('expected a JSON body, got "<html>"');
  });
});

describe('database and redis matchers', () => {
  it('rows: rowCount exact, rows subset with loose scalars (bigint arrives as a string)', () => {
    expect(rowsMismatch({ rowCount: 1 }, [{ n: 1 }], 1)).toBeUndefined();
    expect(rowsMismatch({ rowCount: 2 }, [{ n: 1 }], 1)).toBe('expected rowCount 2, got 1');
    expect(rowsMismatch({ rows: [{ count: 3 }] }, [{ count: '3' }], 1)).toBeUndefined();
    expect(rowsMismatch({ rows: [{ name: 'a' }] }, [{ name: 'b' }], 1)).toBe('rows[0].name: expected "a", got "b"');
  });
  it('reply: loose scalar match, lists element by element', () => {
    expect(replyMismatch('PONG', 'PONG')).toBeUndefined();
    expect(replyMismatch(1, 1)).toBeUndefined();
    expect(replyMismatch('1', 1)).toBeUndefined();
    expect(replyMismatch(['a'], ['a', 'b'])).toBeUndefined();
    expect(replyMismatch('PONG', null)).toBe('reply: expected "PONG", got null');
    expect(replyMismatch(undefined, 'anything')).toBeUndefined();
  });
});

describe('redact', () => {
  it('removes secrets, also URL-encoded', () => {
    expect(redact('amqp://u:p@ss w0rd@h failed; pass=p%40ss%20w0rd', ['p@ss w0rd'])).toBe('amqp://u:***@h failed; pass=***');
  });
});
