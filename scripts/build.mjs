// Bundles the CLI, the sidecar's check runner and the reaper. The last two must be one
// self-contained file each: they are copied into containers through the engine API, where no
// node_modules exist.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/envtest.js',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  build({ ...common, entryPoints: ['src/reaper/main.ts'], outfile: 'dist/reaper.cjs', format: 'cjs', target: 'node18' }),
  build({
    ...common,
    entryPoints: ['src/sidecar/main.ts'],
    outfile: 'dist/sidecar-runner.cjs',
    format: 'cjs',
    target: 'node18',
    // Optional native/peer modules the protocol clients probe for; absent is fine.
    external: ['pg-native', 'cloudflare:sockets', 'bufferutil', 'utf-8-validate'],
  }),
  // The protocols fixture's gRPC health server: one file, copied into an image with no node_modules.
  build({
    ...common,
    sourcemap: false,
    entryPoints: ['fixtures/stack-protocols/grpc/server.ts'],
    outfile: 'fixtures/stack-protocols/grpc/server.cjs',
    format: 'cjs',
    target: 'node18',
  }),
]);
