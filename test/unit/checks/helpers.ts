import http from 'node:http';
import { afterEach } from 'vitest';
import net from 'node:net';
import type { CheckOf, ProtocolName } from '../../../src/model/suite.js';

type Overrides<P extends ProtocolName> = Partial<Omit<CheckOf<P>, 'options' | 'expect'>> & {
  options?: Partial<CheckOf<P>['options']>;
  expect?: Partial<CheckOf<P>['expect']>;
};

const DEFAULT_OPTIONS = {
  tcp: {},
  http: { method: 'GET', path: '/', headers: {}, tls: false, verify: false },
} as const;

/** A resolved check against 127.0.0.1:port, as the loader would produce it. */
export function checkFor<P extends 'tcp' | 'http'>(protocol: P, port: number, o: Overrides<P> = {}): CheckOf<P> {
  return {
    name: `${protocol} check`,
    target: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    timeoutMs: 1000,
    retry: { forMs: 0, everyMs: 50 },
    samples: 0,
    ...o,
    protocol,
    options: { ...DEFAULT_OPTIONS[protocol], ...o.options },
    expect: { open: true, ...o.expect },
  } as CheckOf<P>;
}

export async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

export async function close(server: net.Server): Promise<void> {
  if ('closeAllConnections' in server) (server as http.Server).closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A port that was just free: opened, then closed. Nothing else on loopback is touched. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

export function httpServer(handler: http.RequestListener): http.Server {
  return http.createServer(handler);
}

/** `serve(handler)` starts a loopback HTTP server that is closed after each test of the file. */
export function loopbackHttp(): (handler: http.RequestListener) => Promise<number> {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });
  return (handler) => {
    const server = httpServer(handler);
    servers.push(server);
    return listen(server);
  };
}
