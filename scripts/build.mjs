// Bundles the library (ESM and CJS), the CLI, the sidecar's check runner and the reaper, and emits
// the library's type declarations. The runner and the reaper must be one self-contained file each:
// they are copied into containers through the engine API, where no node_modules exist.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { execa } from 'execa';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// These runtime dependencies ship ESM only: the CJS entry carries them inside instead of require()ing them.
const esmOnly = new Set(['p-retry']);

const common = { bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning' };
const cliExternal = ['dockerode', 'pino'];
// bundles.ts and version.ts find files next to themselves through import.meta.url, which CJS lacks.
const moduleUrlInCommonJs = {
  define: { 'import.meta.url': '__envtest_module_url' },
  // Before esbuild's own "use strict", which a statement ahead of it would turn into a plain string.
  banner: { js: "'use strict'; const __envtest_module_url = require('node:url').pathToFileURL(__filename).href;" },
};

rmSync('dist/types', { recursive: true, force: true });
// The CLI was an ES module before it was loaded with a code cache: a stale one would be packed too.
for (const old of ['dist/envtest.js', 'dist/envtest.js.map']) rmSync(old, { force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', format: 'esm', target: 'node20', packages: 'external' }),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.cjs',
    format: 'cjs',
    target: 'node20',
    external: Object.keys(pkg.dependencies).filter((name) => !esmOnly.has(name)),
    ...moduleUrlInCommonJs,
  }),
  // Declarations for package.json "types"; tsc is the only tool that writes them faithfully.
  execa('tsc', ['-p', 'tsconfig.build.json'], { preferLocal: true, stdio: 'inherit' }),
  // Every run's wall time includes the CLI's own start: the pure-JS dependencies it loads at start
  // (zod, yaml, commander, tar-stream...) go inside its one file, which Node loads faster than their
  // hundreds of files (about 70 ms of each start on 2 cores). dockerode stays outside (dockerode.ts
  // puts modules in its way into the module cache before it loads), and so does pino (a transport
  // loads its worker by path). The library's entries keep every dependency outside.
  // CommonJS, because bin/envtest.js compiles it with V8's code cache (src/launch/code-cache.ts),
  // which only a script (not an ES module) can take on Node 20.
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/envtest.cjs',
    format: 'cjs',
    target: 'node20',
    external: cliExternal.flatMap((name) => [name, `${name}/*`]),
    ...moduleUrlInCommonJs,
  }),
  build({ ...common, sourcemap: false, entryPoints: ['src/launch/code-cache.ts'], outfile: 'dist/code-cache.cjs', format: 'cjs', target: 'node20' }),
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
