// Bundles the CLI and the sidecar's check runner. The runner must be one self-contained file:
// it is copied into the sidecar container through the engine API, where no node_modules exist.
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
  build({
    ...common,
    entryPoints: ['src/sidecar/main.ts'],
    outfile: 'dist/sidecar-runner.cjs',
    format: 'cjs',
    target: 'node18',
    // Optional native/peer modules the protocol clients probe for; absent is fine.
    external: ['pg-native', 'cloudflare:sockets', 'bufferutil', 'utf-8-validate'],
  }),
]);
