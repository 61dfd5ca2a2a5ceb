#!/usr/bin/env -S node --
// The `--` ends Node's own options: Node 20 otherwise reads `--env-file` anywhere on its command
// line, even after the script, and exits 9 before envtest sees its own --env-file flag.
// Checked before anything else loads: on an older Node, envtest would fail later with an obscure
// error (`AbortSignal.any is not a function`) halfway through a start.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const required = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node.replace(/^>=\s*/, '');
const newer = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
};
if (!newer(process.versions.node, required)) {
  process.stderr.write(`envtest: needs Node.js ${required} or newer (package.json engines.node); this is Node.js ${process.versions.node}. Install a newer Node.js (https://nodejs.org) and run it again.\n`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const cli = fileURLToPath(new URL('../dist/envtest.cjs', import.meta.url));
if (process.sourceMapsEnabled) {
  // Node maps stack traces only for what its own loader compiled (--enable-source-maps).
  require(cli);
} else {
  const { commandKey, defaultCacheDir, loadWithCodeCache } = require('../dist/code-cache.cjs');
  const cache = process.env.ENVTEST_CODE_CACHE === 'off' ? undefined : { dir: defaultCacheDir(), key: commandKey(process.argv.slice(2)) };
  const loaded = loadWithCodeCache(cli, cache);
  // The CLI ends with process.exit, which still runs 'exit' listeners: the cache is written last,
  // and only by a command that ran to its end (0, or 1 for failed checks), not one cut short by bad
  // input or a signal, which compiled little of what the next one will run.
  process.once('exit', (code) => {
    if (code === 0 || code === 1) loaded.save();
  });
}
