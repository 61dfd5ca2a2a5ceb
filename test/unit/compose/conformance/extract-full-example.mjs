// The conformance case TestFullExample.loader: compose-go's full-example.yml (dropped from compose-go
// in df29b8a; taken from its parent, 9dee8f4f) with the expected output of its test, fullExampleJSON
// in loader/full-struct_test.go, rendered for workingDir /p and home /home/user; every leaf becomes
// an assertion. Not run by the tests: the case it wrote is committed beside it.
//   git -C <compose-go> show 9dee8f4f:loader/full-struct_test.go > full-struct_test.go
//   node extract-full-example.mjs full-struct_test.go compose-go/TestFullExample.loader/expected.json
import { readFileSync, writeFileSync } from 'node:fs';
const go = readFileSync(process.argv[2], 'utf8');
const start = go.indexOf('func fullExampleJSON');
const body = go.slice(start);
const tpl = body.slice(body.indexOf('`') + 1, body.indexOf('`', body.indexOf('`') + 1));
const argsText = body.slice(body.indexOf('`', body.indexOf('`') + 1) + 1, body.indexOf('\n}\n'));
const args = [...argsText.matchAll(/toPath\(([^)]*)\)/g)].map((m) =>
  m[1].split(',').map((a) => a.trim()).map((a) => (a === 'workingDir' ? '/p' : a === 'homeDir' ? '/home/user' : JSON.parse(a))).join('/'),
);
let i = 0;
const text = tpl.replace(/%s/g, () => args[i++]);
if (i !== args.length) throw new Error(`placeholders ${i} vs args ${args.length}`);
const json = JSON.parse(text);
const assertions = [];
const walk = (v, path) => {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) assertions.push({ path, op: 'eq', type: 'list', value: v.map(String) });
    else { assertions.push({ path, op: 'len', value: v.length }); v.forEach((x, k) => walk(x, [...path, k])); }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  } else {
    const type = typeof v === 'string' ? 'str' : typeof v === 'number' ? 'num' : typeof v === 'boolean' ? 'bool' : 'nil';
    assertions.push({ path, op: 'eq', type, value: v });
  }
};
walk(json, []);
const expected = {
  source: { repo: 'compose-spec/compose-go', commit: '9dee8f4f1a356a87744cebc7a25ac15f971c84a5', path: 'loader/loader_test.go', test: 'TestFullExample', license: 'Apache-2.0' },
  test: 'TestFullExample',
  env: { HOME: '/home/user', BAR: 'this is a secret', QUX: 'qux_from_environment' },
  expect: 'load',
  assertions,
  untranslated: ['expected values: every leaf of fullExampleJSON (loader/full-struct_test.go) rendered for workingDir /p and home /home/user; the test itself compares the loaded project with fullExampleProject by DeepEqual'],
};
writeFileSync(process.argv[3], JSON.stringify(expected, null, 2) + '\n');
console.log(assertions.length, 'assertions');
