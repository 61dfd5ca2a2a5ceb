// tls: true against a self-signed loopback server: accepted by default (test stacks rarely have real
// certificates), refused with verify: true.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/checks/clock.js';
import { protocols } from '../../../src/checks/registry.js';
import { runCheck } from '../../../src/checks/run-check.js';
import { checkFor, close, listen } from './helpers.js';

let server: https.Server;
let port: number;

function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

const tlsMaterial = selfSigned();

beforeAll(async () => {
  if (!tlsMaterial) return;
  server = https.createServer(tlsMaterial, (_req, res) => res.end('secure ok'));
  port = await listen(server);
});

afterAll(async () => {
  if (server) await close(server);
});

describe.skipIf(!tlsMaterial)('https check against a self-signed loopback server', () => {
  const deps = { protocols, clock: systemClock };

  it('passes with tls: true, not verifying the certificate', async () => {
    const r = await runCheck('s', checkFor('http', port, { options: { tls: true }, expect: { body: { equals: 'secure ok' } } }), deps);
    expect(r).toMatchObject({ status: 'passed', message: '200' });
  });

  it('fails with verify: true, naming the certificate problem', async () => {
    const r = await runCheck('s', checkFor('http', port, { options: { tls: true, verify: true } }), deps);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/self[- ]signed certificate/);
  });
});
