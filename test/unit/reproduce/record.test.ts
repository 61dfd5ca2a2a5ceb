import { describe, expect, it } from 'vitest';
import type { ComposeProject } from '../../../src/model/project.js';
import type { Suite } from '../../../src/model/suite.js';
import { buildRecord, restoreSecrets } from '../../../src/reproduce/record.js';

const project: ComposeProject = {
  name: 'p',
  services: {
    api: { image: 'api:1', environment: { DB_URL: 'postgres://app:hunter2-long@db/x', APP_PASSWORD: 'literal-pw', MODE: 'test' } },
  },
};
const suites: Suite[] = [{ name: 's', file: 's.yaml', checks: [{ name: 'db', target: 'db:5432', host: 'db', port: 5432, protocol: 'postgres', options: { password: 'hunter2-long' } } as never] }];

const record = () =>
  buildRecord({
    envtest: { version: '1.0.0', commandLine: ['run', '--run-id', 'x'] },
    runId: 'x',
    project,
    suites,
    images: {},
    options: {},
    environment: { PG_PASSWORD: 'hunter2-long', PG_PASSWORD_OLD: 'hunter2', HOME: '/root', GITHUB_TOKEN: 'unused-token' },
  });

describe('run record', () => {
  it('saves every secret as the name of its variable, and only the names that were used', () => {
    const r = record();
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('literal-pw');
    expect(r.secrets).toEqual(['APP_PASSWORD', 'PG_PASSWORD']);
    expect(r.project.services.api!.environment).toEqual({ DB_URL: 'postgres://app:${PG_PASSWORD}@db/x', APP_PASSWORD: '${APP_PASSWORD}', MODE: 'test' });
    expect(r.suites[0]!.checks[0]!.options).toEqual({ password: '${PG_PASSWORD}' });
  });

  it('fills the names back from another environment, and names the missing ones', () => {
    const back = restoreSecrets(record(), { PG_PASSWORD: 'other-pw' });
    expect(back.missing).toEqual(['APP_PASSWORD']);
    const full = restoreSecrets(record(), { PG_PASSWORD: 'hunter2-long', APP_PASSWORD: 'literal-pw' });
    expect(full.missing).toEqual([]);
    expect(full.project).toEqual(project);
    expect(full.suites).toEqual(suites);
  });
});
