import { describe, expect, it } from 'vitest';
import { loadProjectWith, type FileSystem } from '../../../src/compose/index.js';
import { serviceFiles } from '../../../src/orchestrator/spec/service-files.js';
import { checkStartable } from '../../../src/orchestrator/lifecycle/up.js';

const files: Record<string, string> = {
  '/p/compose.yaml': 'services:\n  app:\n    image: x\n    secrets: [token]\nsecrets:\n  token: {environment: APP_TOKEN}\n',
  '/p/.env': 'APP_TOKEN=from-the-env-file\n',
};
const fs: FileSystem = { read: async (p) => files[p], exists: async (p) => p in files };

describe('environment-sourced secrets', () => {
  it('are read from the env file, as compose reads them, not only from the process environment', async () => {
    const loaded = await loadProjectWith(fs, { cwd: '/p', env: {} });
    expect(() => checkStartable(loaded.project, { environment: loaded.environment })).not.toThrow();
    expect(serviceFiles(loaded.project, 'app', loaded.environment).map((f) => [f.path, f.content.toString()])).toEqual([['/run/secrets/token', 'from-the-env-file']]);
    expect(() => checkStartable(loaded.project, { environment: {} })).toThrow('reads variable APP_TOKEN, which is not set');
  });
});
