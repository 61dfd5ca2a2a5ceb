// A docker CLI configuration folder of the test's own (what DOCKER_CONFIG points at): config.json
// and contexts laid out as `docker context create` writes them. Never the user's ~/.docker.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

export interface ContextSpec {
  host?: string;
  skipTlsVerify?: boolean;
  /** File name (`ca.pem`, `cert.pem`, `key.pem`) → contents. */
  tls?: Record<string, string | Buffer>;
}

export function dockerConfigDir(opts: { config?: Record<string, unknown>; raw?: string; contexts?: Record<string, ContextSpec> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-dockercfg-'));
  if (opts.raw !== undefined) writeFileSync(join(dir, 'config.json'), opts.raw);
  else if (opts.config) writeFileSync(join(dir, 'config.json'), JSON.stringify(opts.config));
  for (const [name, ctx] of Object.entries(opts.contexts ?? {})) {
    const digest = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts/meta', digest), { recursive: true });
    const docker = { ...(ctx.host !== undefined ? { Host: ctx.host } : {}), SkipTLSVerify: !!ctx.skipTlsVerify };
    writeFileSync(join(dir, 'contexts/meta', digest, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker } }));
    if (ctx.tls) {
      mkdirSync(join(dir, 'contexts/tls', digest, 'docker'), { recursive: true });
      for (const [file, text] of Object.entries(ctx.tls)) writeFileSync(join(dir, 'contexts/tls', digest, 'docker', file), text);
    }
  }
  return dir;
}

/** A relay in this process to the machine's engine socket that counts connections, so a test knows envtest went through it. */
export interface EngineRelay {
  connections: number;
  close(): Promise<void>;
}

const ENGINE_SOCKET = '/var/run/docker.sock';

function relay(server: Server, count: () => void): (client: Socket) => void {
  return (client) => {
    count();
    const engine = createConnection(ENGINE_SOCKET);
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
    server.on('close', () => client.destroy());
  };
}

/** Listens on a unix socket at `path`. */
export async function unixEngineRelay(path: string): Promise<EngineRelay> {
  const handle: EngineRelay = { connections: 0, close: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer((c) => relay(server, () => handle.connections++)(c));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return handle;
}

export interface TestPki {
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in a temp folder. */
export async function makePki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]) => execa('openssl', args, { cwd: dir });
  await run(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=envtest test CA']);
  for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    await run(['req', ...ec, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    await run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  }
  const read = (f: string) => readFileSync(join(dir, f));
  return { ca: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server-key.pem'), clientCert: read('client.pem'), clientKey: read('client-key.pem') };
}

/** A TLS endpoint on 127.0.0.1 that, like a TLS-protected engine, admits only clients with a certificate from `pki.ca`. */
export async function tlsEngineRelay(pki: TestPki): Promise<EngineRelay & { port: number }> {
  const handle = { connections: 0, port: 0, close: () => new Promise<void>((r) => server.close(() => r())) };
  const server: Server = createTlsServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (c) =>
    relay(server, () => handle.connections++)(c),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  handle.port = (server.address() as { port: number }).port;
  return handle;
}
