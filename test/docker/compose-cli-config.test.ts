// Cross-checks the loader against the real compose CLI: for each fixture, `config` from the CLI and
// loadProject must agree on image, command, entrypoint, environment, depends_on and healthcheck.
// Known representational differences are normalized first (v1 prints command/entrypoint and string
// health tests as written, re-escapes `$` as `$$`, and has no depends_on required/restart).
import { resolve } from 'node:path';
import { config, type IDockerComposeOptions } from 'docker-compose';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/index.js';
import { shellSplit } from '../../src/compose/normalize/shell-split.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures');

interface Cli {
  label: string;
  executable: IDockerComposeOptions['executable'];
}

const probe = async (cmd: string, args: string[]) => execa(cmd, args).then(() => true, () => false);
const clis: Cli[] = [];
if (await probe('docker-compose', ['version'])) clis.push({ label: 'docker-compose (standalone)', executable: { standalone: true } });
if (await probe('docker', ['compose', 'version'])) clis.push({ label: 'docker compose (plugin)', executable: { executablePath: 'docker' } });

const CASES = [
  { fixture: 'compose-cli-compare', env: { FROM_SHELL: 'shell' } },
  { fixture: 'compose-extends', env: {} },
];

type Dict = Record<string, unknown>;

const argv = (v: unknown) => (typeof v === 'string' ? shellSplit(v) : v);
const unescapeDollars = (v: unknown) => (typeof v === 'string' ? v.replaceAll('$$', '$') : v);

/** The fields under comparison, in one representation whichever side they come from. */
function comparable(service: Dict): Dict {
  const health = service.healthcheck as Dict | undefined;
  const deps = service.depends_on as Record<string, Dict> | undefined;
  const env = service.environment as Dict | undefined;
  return {
    image: service.image,
    command: argv(service.command),
    entrypoint: argv(service.entrypoint),
    environment: env && Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? null : unescapeDollars(String(v))])),
    depends_on: deps && Object.fromEntries(Object.entries(deps).map(([k, d]) => [k, { condition: d.condition ?? 'service_started' }])),
    healthcheck: health && {
      ...health,
      test: typeof health.test === 'string' ? ['CMD-SHELL', health.test] : health.test,
    },
  };
}

describe.skipIf(clis.length === 0)('loadProject agrees with the compose CLI `config`', () => {
  for (const cli of clis) {
    for (const c of CASES) {
      it(`${c.fixture} (${cli.label})`, async () => {
        const cwd = resolve(fixtures, c.fixture);
        const fromCli = await config({ cwd, executable: cli.executable, env: { PATH: process.env.PATH, ...c.env } });
        const ours = await loadProject({ cwd, env: c.env });
        const cliServices = fromCli.data.config.services as unknown as Record<string, Dict>;
        expect(Object.keys(ours.project.services).sort()).toEqual(Object.keys(cliServices).sort());
        for (const [name, svc] of Object.entries(cliServices)) {
          expect(comparable(ours.project.services[name] as Dict), name).toEqual(comparable(svc));
        }
      });
    }
  }
});

it.skipIf(clis.length > 0)('compose CLI comparison skipped: neither `docker-compose` nor `docker compose` is installed', () => {});
