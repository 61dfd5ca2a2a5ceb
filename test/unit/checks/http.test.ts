import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/checks/clock.js';
import { protocols } from '../../../src/checks/registry.js';
import { runCheck } from '../../../src/checks/run-check.js';
import { checkFor, closedPort, loopbackHttp } from './helpers.js';

const deps = { protocols, clock: systemClock };
const serve = loopbackHttp();

const healthy: http.RequestListener = (req, res) => {
  if (req.url !== '/healthz') return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-method': req.method ?? '' });
  res.end(JSON.stringify({ status: 'ok', checks: [{ name: 'db', up: true }] }));
};

describe('http check against a loopback server', () => {
  it('passes when status, headers, body and json all match', async () => {
    const port = await serve(healthy);
    const check = checkFor('http', port, {
      options: { path: '/healthz' },
      expect: {
        status: [200],
        headers: { 'content-type': { matches: '^application/json' }, 'x-method': 'GET' },
        body: { contains: '"ok"' },
        json: { status: 'ok', checks: [{ name: 'db' }] },
      },
    });
    expect(await runCheck('s', check, deps)).toMatchObject({ status: 'passed', attempts: 1, message: '200' });
  });

  it('sends method, headers and body', async () => {
    let seen = '';
    const port = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = `${req.method} ${req.url} ${req.headers['x-token']} ${body}`;
        res.writeHead(201).end();
      });
    });
    const check = checkFor('http', port, { options: { method: 'POST', path: '/items?a=1', headers: { 'x-token': 't' }, body: '{"a":1}' }, expect: { status: [201] } });
    expect(await runCheck('s', check, deps)).toMatchObject({ status: 'passed' });
    expect(seen).toBe('POST /items?a=1 t {"a":1}');
  });

  it('reports expected vs got, with the start of the body, for a wrong status', async () => {
    const port = await serve((_req, res) => res.writeHead(503).end(`upstream down ${'x'.repeat(300)}`));
    const r = await runCheck('s', checkFor('http', port, { expect: { status: [200] } }), deps);
    expect(r.status).toBe('failed');
    expect(r.message).toBe(`expected status 200, got 503 (body: "upstream down ${'x'.repeat(186)}…")`);
  });

  it('lists every mismatch', async () => {
    const port = await serve(healthy);
    const r = await runCheck('s', checkFor('http', port, { options: { path: '/healthz' }, expect: { headers: { 'content-type': 'text/plain' }, json: { status: 'degraded' } } }), deps);
    expect(r.message).toBe(
      'expected header content-type "text/plain", got "application/json; charset=utf-8"; json $.status: expected "degraded", got "ok"',
    );
  });

  it('retries until the service turns healthy, counting attempts', async () => {
    let calls = 0;
    const port = await serve((_req, res) => res.writeHead(++calls < 3 ? 503 : 200).end());
    const r = await runCheck('s', checkFor('http', port, { retry: { forMs: 5000, everyMs: 20 } }), deps);
    expect(r).toMatchObject({ status: 'passed', attempts: 3 });
  });

  it('times out an attempt that gets no answer', async () => {
    const port = await serve(() => undefined);
    const r = await runCheck('s', checkFor('http', port, { timeoutMs: 200 }), deps);
    expect(r).toMatchObject({ status: 'failed', message: 'no answer within 200ms' });
    expect(r.durationMs).toBeLessThan(1000);
  });

  it('reports a refused connection with its code', async () => {
    const port = await closedPort();
    const r = await runCheck('s', checkFor('http', port), deps);
    expect(r.message).toBe(`127.0.0.1:${port} not open (ECONNREFUSED)`);
  });

  describe('samples and latency', () => {
    it('sends N more requests after the pass and summarizes them', async () => {
      let calls = 0;
      const port = await serve((_req, res) => (calls++, res.end('ok')));
      const r = await runCheck('s', checkFor('http', port, { samples: 20, latency: { p95: 5000 } }), deps);
      expect(r.status).toBe('passed');
      expect(calls).toBe(21);
      expect(r.samplesMs).toHaveLength(20);
      expect(r.latency).toMatchObject({ samples: 20 });
      expect(r.latency!.p50).toBeLessThanOrEqual(r.latency!.p95);
      expect(r.latency!.max).toBe(Math.max(...r.samplesMs!));
      expect(r.message).toMatch(/^p50 .* over 20 samples$/);
    });

    it('fails when a bound is exceeded, saying by how much', async () => {
      const port = await serve((_req, res) => setTimeout(() => res.end('slow'), 30));
      const r = await runCheck('s', checkFor('http', port, { samples: 5, latency: { p95: 5 } }), deps);
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(/^p95 \d+ms > 5ms over 5 samples$/);
    });

    it('fails when a sample fails', async () => {
      let calls = 0;
      const port = await serve((_req, res) => res.writeHead(++calls === 3 ? 500 : 200).end('boom'));
      const r = await runCheck('s', checkFor('http', port, { samples: 5 }), deps);
      expect(r).toMatchObject({ status: 'failed', message: 'sample 2/5 failed: expected status 2xx or 3xx, got 500 (body: "boom")' });
    });
  });

  it('never puts a password in a message', async () => {
    const port = await serve((_req, res) => res.writeHead(401).end('bad password hunter2'));
    const check = { ...checkFor('http', port), options: { ...checkFor('http', port).options, password: 'hunter2' } };
    const r = await runCheck('s', check, deps);
    expect(r.message).toBe('expected status 2xx or 3xx, got 401 (body: "bad password ***")');
  });
});
