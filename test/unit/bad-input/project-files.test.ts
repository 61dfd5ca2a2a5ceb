// What -f and --project-directory name: a directory, a device, stdin, a file where a directory belongs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject, loadProjectWith, nodeFileSystem } from '../../../src/compose/index.js';
import { UsageError, ValidationError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'envtest-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: x\n');
mkdirSync(join(dir, 'sub'));

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('-f and --project-directory', () => {
  it('-f DIRECTORY says it is a directory', async () => {
    const e = await failure(loadProject({ cwd: dir, files: ['sub'], env: {} }));
    expect(e).toBeInstanceOf(UsageError);
    expect(e!.message).toBe(`compose file ${join(dir, 'sub')} is a directory; -f takes a file (or - for stdin), --project-directory takes a directory`);
  });

  it('-f /dev/null is read, and is empty', async () => {
    const e = await failure(loadProject({ cwd: dir, files: ['/dev/null'], env: {} }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e!.message).toBe('invalid compose project: /dev/null: empty compose file: expected a mapping with at least `services`');
  });

  it('-f /dev/zero is refused at the size limit without reading it all', async () => {
    const e = await failure(loadProject({ cwd: dir, files: ['/dev/zero'], env: {} }));
    expect(e!.message).toBe('invalid compose project: /dev/zero: is larger than 4 MiB, the most envtest reads for a compose file');
  });

  it('-f - reads stdin, with relative paths from the working directory', async () => {
    const fs = { ...nodeFileSystem, stdin: async () => 'services:\n  web:\n    build: ./sub\n' };
    const loaded = await loadProjectWith(fs, { cwd: dir, files: ['-'], env: {} });
    expect(loaded.project.services.web!.build).toMatchObject({ context: join(dir, 'sub') });
    expect(loaded.workingDir).toBe(dir);
    const e = await failure(loadProjectWith({ ...nodeFileSystem, stdin: async () => 'services:\n  web: {}\n' }, { cwd: dir, files: ['-'], env: {} }));
    expect(e!.message).toBe('invalid compose project: -:2 services.web: has neither "image" nor "build": set one of them');
  });

  it('--project-directory missing or a file is refused', async () => {
    const missing = await failure(loadProject({ cwd: dir, projectDirectory: 'nope', env: {} }));
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing!.message).toBe(`--project-directory ${join(dir, 'nope')} does not exist`);
    const file = await failure(loadProject({ cwd: dir, files: ['compose.yaml'], projectDirectory: 'compose.yaml', env: {} }));
    expect(file!.message).toBe(`--project-directory ${join(dir, 'compose.yaml')} is a file; it takes the directory the project's relative paths start from`);
  });
});
