import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextEntries } from '../../../src/runtime/context-files.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A context folder holding `files` (path → content), `.dockerignore` among them. */
function context(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'envtest-ctx-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const sent = (d: string, dockerfile = 'Dockerfile') => contextEntries(d, dockerfile).map((e) => e.path);

describe('the build context follows .dockerignore as the engine reads it', () => {
  it('everything excluded but a few files: those files are sent', () => {
    const d = context({ '.dockerignore': '*\n!server.js\n!Dockerfile\n', Dockerfile: 'FROM x', 'server.js': '', 'secret.env': '', 'lib/a.js': '' });
    expect(sent(d)).toEqual(['.dockerignore', 'Dockerfile', 'server.js']);
  });

  it('**/node_modules excludes the top-level node_modules too', () => {
    const d = context({ '.dockerignore': '**/node_modules\n', Dockerfile: '', 'node_modules/x/index.js': '', 'pkg/node_modules/y.js': '', 'pkg/a.js': '' });
    expect(sent(d)).toEqual(['.dockerignore', 'Dockerfile', 'pkg', 'pkg/a.js']);
  });

  it('an exception reaches into an excluded folder without sending the rest of it', () => {
    const d = context({ '.dockerignore': '# comment\nsrc\n!src/keep.js\n', Dockerfile: '', 'src/keep.js': '', 'src/drop.js': '' });
    expect(sent(d)).toEqual(['.dockerignore', 'Dockerfile', 'src/keep.js']);
  });

  it('the Dockerfile and .dockerignore are sent even when excluded, as the docker CLI does', () => {
    const d = context({ '.dockerignore': '.dockerignore\nbuild/\n', 'build/app.Dockerfile': '', 'build/other': '', 'main.go': '' });
    expect(sent(d, 'build/app.Dockerfile')).toEqual(['.dockerignore', 'build/app.Dockerfile', 'main.go']);
  });
});
