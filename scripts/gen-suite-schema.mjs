// Writes schema/suite.schema.json from the zod schema in src/suite/schema.ts.
// Node 20 cannot import TypeScript, so esbuild bundles the generator into memory first.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({
  entryPoints: [join(root, 'src/suite/json-schema.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
const { suiteJsonSchemaText } = await import(url);
const target = join(root, 'schema/suite.schema.json');
await mkdir(dirname(target), { recursive: true });
await writeFile(target, suiteJsonSchemaText());
console.log(`wrote ${target}`);
