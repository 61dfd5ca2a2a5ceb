import { describe, expect, it } from 'vitest';
import { checkBuildContexts } from '../../../src/orchestrator/images/build-contexts.js';

describe('checkBuildContexts', () => {
  it('refuses a missing local context and a remote one, naming the key path', () => {
    const project = {
      name: 'p',
      services: {
        ok: { build: { context: process.cwd() } },
        gone: { build: { context: '/nonexistent/envtest-context' } },
        remote: { build: { context: 'https://github.com/example/app.git' } },
      },
    };
    expect(() => checkBuildContexts(project)).toThrow(
      [
        'invalid compose project, 2 problems:',
        '  - services.gone.build.context: build context /nonexistent/envtest-context is not a folder that exists',
        '  - services.remote.build.context: remote build contexts (https://github.com/example/app.git) are not supported yet: clone it and point at the folder',
      ].join('\n'),
    );
  });
});
