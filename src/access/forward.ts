// `envtest forward` and `env.address()`: a local TCP port whose connections reach SERVICE:PORT on a
// run's network. Every connection is relayed through the engine API (an exec in a helper container,
// see helper.ts and relay.ts), so nothing is published on the host, the run's networks may be
// `internal`, and a remote engine (DOCKER_HOST=tcp:// or ssh://) works the same.
import { createServer, type Server, type Socket } from 'node:net';
import type { Backend } from '../runtime/backend.js';
import { startHelper, type Helper, type HelperOptions } from './helper.js';
import { relayCommand } from './relay.js';
import { serviceOf } from './running-run.js';

export interface ForwardedPort {
  /** Where to connect locally. */
  host: string;
  port: number;
  service: string;
  targetPort: number;
  /** Stops listening and drops this port's open connections. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Local address to listen on (default 127.0.0.1). */
  address?: string;
  /** Local port (default: a free one). */
  localPort?: number;
}

export interface ForwarderOptions extends HelperOptions {
  /** A connection the target refused, or that failed on the way. */
  onConnectionError?: (error: Error, target: { service: string; port: number }) => void;
}

/** One helper container, any number of forwarded ports. Close it to remove the helper. */
export interface Forwarder {
  runId: string;
  forward(service: string, port: number, opts?: ListenOptions): Promise<ForwardedPort>;
  /** Settles when the helper is gone (closed, or removed with the run). */
  gone: Promise<void>;
  close(): Promise<void>;
}

export async function openForwarder(runtime: Backend, runId: string, opts: ForwarderOptions = {}): Promise<Forwarder> {
  const helper = await startHelper(runtime, runId, opts);
  const ports: ForwardedPort[] = [];
  let closed = false;
  const close = async () => {
    closed = true;
    await Promise.all(ports.map((p) => p.close()));
    await helper.close();
  };
  // The helper gone means every port is dead: stop accepting connections that cannot be relayed.
  void helper.gone.then(() => Promise.all(ports.map((p) => p.close())));
  return {
    runId,
    gone: helper.gone,
    close,
    forward: async (service, port, listen = {}) => {
      if (closed) throw new Error('this forwarder is closed');
      serviceOf(helper.run, service);
      const forwarded = await listenAndRelay(helper, service, port, listen, opts);
      ports.push(forwarded);
      return forwarded;
    },
  };
}

/** One port on its own helper: `const { host, port, close } = await openForward(runtime, run, 'db', 5432)`. */
export async function openForward(
  runtime: Backend,
  runId: string,
  service: string,
  port: number,
  opts: ForwarderOptions & ListenOptions = {},
): Promise<ForwardedPort> {
  const forwarder = await openForwarder(runtime, runId, opts);
  try {
    const forwarded = await forwarder.forward(service, port, opts);
    return { ...forwarded, close: () => forwarder.close() };
  } catch (e) {
    await forwarder.close();
    throw e;
  }
}

async function listenAndRelay(helper: Helper, service: string, targetPort: number, listen: ListenOptions, opts: ForwarderOptions): Promise<ForwardedPort> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    relay(helper, socket, service, targetPort).catch((e: unknown) => {
      socket.destroy();
      opts.onConnectionError?.(e instanceof Error ? e : new Error(String(e)), { service, port: targetPort });
    });
  });
  const host = listen.address ?? '127.0.0.1';
  await listenOn(server, host, listen.localPort ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (listen.localPort ?? 0);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    service,
    targetPort,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })),
  };
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** One local connection ↔ one relay process in the helper, until either side closes. */
async function relay(helper: Helper, socket: Socket, service: string, port: number): Promise<void> {
  const session = await helper.exec({ command: relayCommand(service, port) });
  if (socket.destroyed) return session.close();
  socket.pipe(session.stdin);
  session.stdout.pipe(socket);
  let errorText = '';
  session.stderr.on('data', (c: Buffer) => (errorText += c.toString()));
  socket.on('error', () => session.close());
  socket.on('close', () => session.close());
  socket.resume();
  const code = await session.exitCode.catch(() => 0);
  if (code !== 0) throw new Error(`${service}:${port}: ${errorText.trim() || `relay exited with code ${code}`}`);
}

