// forward, exec, logs and shell refuse a malformed run id as the user's mistake (exit 2), not as
// "no environment is up" (exit 3); forward never listens on an address it was not clearly given.
import { describe, expect, it } from 'vitest';
import { envtest } from '../support/cli.js';

describe('reaching into a run: bad input', () => {
  it.each([
    [['forward', 'bad!id', 'web:80']],
    [['exec', 'bad!id', 'web', '--', 'true']],
    [['logs', 'bad!id']],
    [['shell', 'bad!id']],
  ])('%j exits 2 naming the run id rule', async (args) => {
    const result = await envtest(args);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('run id "bad!id" is not valid');
  });

  it('forward refuses an empty or unresolvable --address and a target port 0', async () => {
    for (const args of [['forward', 'x', 'web:80', '--address='], ['forward', 'x', 'web:80', '--address', '999.1.1.1'], ['forward', 'x', 'web:0']]) {
      const result = await envtest(args);
      expect(result.exitCode, result.all).toBe(2);
      expect(result.stderr).not.toContain('internal error');
    }
  });
});
