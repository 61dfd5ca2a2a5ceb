// dockerode, loaded without what it needs only for BuildKit sessions (`buildImage` with version
// "2"), which envtest never opens: its session module pulls in gRPC and protobuf at load, half of
// dockerode's load time and 8 MB of every envtest process. That one module is put in the module
// cache as a stub that says so before dockerode asks for it; laid out differently (another
// dockerode), dockerode is loaded as it is.
// Its modem's ssh transport (ssh2 and its crypto, about 40 ms of every start) is needed only for an
// ssh:// engine: it is loaded the first time such a connection is made, not at start.
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type DockerClass from 'dockerode';

const require = createRequire(import.meta.url);

/** Puts `exports` in the module cache where `module` resolves, unless it is absent or already loaded. */
function stubModule(module: string, exports: unknown): void {
  let path: string;
  try {
    path = require.resolve(module);
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = exports;
  require.cache[path] = stub;
}

function withoutBuildkitSessions(): void {
  stubModule('dockerode/lib/session.js', () => {
    throw new Error('envtest does not open BuildKit sessions (dockerode buildImage version "2")');
  });
}

/** docker-modem calls its ssh module as a function per connection: the real one is loaded on the first call. */
function sshOnDemand(): void {
  let dockerodeDir: string;
  try {
    dockerodeDir = dirname(require.resolve('dockerode/package.json'));
  } catch {
    return;
  }
  let path: string;
  try {
    path = require.resolve('docker-modem/lib/ssh.js', { paths: [dockerodeDir] });
  } catch {
    return;
  }
  let real: ((opts: unknown) => unknown) | undefined;
  const load = () => {
    // The stub leaves the cache for as long as the real module takes to load in its place.
    const stub = require.cache[path];
    delete require.cache[path];
    try {
      return require(path) as (opts: unknown) => unknown;
    } finally {
      require.cache[path] = stub;
    }
  };
  stubModule(path, (opts: unknown) => (real ??= load())(opts));
}

withoutBuildkitSessions();
sshOnDemand();

export const Docker = require('dockerode') as typeof DockerClass;
export type Docker = DockerClass;
