// dockerode, loaded without what it needs only for BuildKit sessions (`buildImage` with version
// "2"), which envtest never opens: its session module pulls in gRPC and protobuf at load, half of
// dockerode's load time and 8 MB of every envtest process. That one module is put in the module
// cache as a stub that says so before dockerode asks for it; laid out differently (another
// dockerode), dockerode is loaded as it is.
import Module, { createRequire } from 'node:module';
import type DockerClass from 'dockerode';

const require = createRequire(import.meta.url);

function withoutBuildkitSessions(): void {
  let path: string;
  try {
    path = require.resolve('dockerode/lib/session.js');
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = () => {
    throw new Error('envtest does not open BuildKit sessions (dockerode buildImage version "2")');
  };
  require.cache[path] = stub;
}

withoutBuildkitSessions();

export const Docker = require('dockerode') as typeof DockerClass;
export type Docker = DockerClass;
