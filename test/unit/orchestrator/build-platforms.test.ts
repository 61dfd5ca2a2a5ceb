// Several build platforms load (docker compose config prints them) and are refused only where an
// image must actually be built, since the engine API's classic builder builds one platform.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { ValidationError } from '../../../src/errors.js';
import { startImages, type BuildPolicy } from '../../../src/orchestrator/images/images.js';
import { ignoreProgress } from '../../../src/orchestrator/lifecycle/progress.js';
import type { BuildSpec } from '../../../src/runtime/runtime.js';
import { memfs } from '../compose/memfs.js';
import { FakeRuntime } from './fake-runtime.js';

class Recording extends FakeRuntime {
  built: BuildSpec[] = [];
  constructor(private readonly present: boolean) {
    super();
  }
  override async imageExists() {
    return this.present;
  }
  override async buildImage(...args: unknown[]) {
    this.built.push(args[0] as BuildSpec);
  }
}

async function images(service: string, opts: { present?: boolean; build?: BuildPolicy } = {}) {
  const yaml = `services:
  two:
    build: {dockerfile_inline: "FROM scratch", platforms: [linux/amd64, linux/arm64]}
  chosen:
    platform: linux/arm64
    # no_cache: built without hashing the context (which is not on disk here)
    build: {dockerfile_inline: "FROM scratch", no_cache: true, platforms: [linux/amd64, linux/arm64]}
`;
  const loaded = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
  const runtime = new Recording(opts.present ?? false);
  const project = { ...loaded.project, services: { [service]: loaded.project.services[service]! } };
  const under = startImages({ runtime, project, build: opts.build, logger: pino({ level: 'silent' }), progress: ignoreProgress, locate: loaded.locate });
  return { done: under.ready[service]!, runtime, loaded };
}

describe('build.platforms with more than one entry', () => {
  it('loads, and config keeps the list', async () => {
    const { loaded } = await images('two', { present: true, build: 'missing' });
    expect(loaded.project.services.two!.build!.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('is refused by name, with file and line, when the image must be built', async () => {
    const { done, runtime } = await images('two');
    const e = await done.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/compose.yaml:3 services.two.build.platforms: lists 2 platforms \(linux\/amd64, linux\/arm64\) and the image must be built: not supported \(needs BuildKit/);
    expect(runtime.built).toEqual([]);
  });

  it('needs no refusal when no build is needed (present image, --build missing)', async () => {
    const { done, runtime } = await images('two', { present: true, build: 'missing' });
    await expect(done).resolves.toBeUndefined();
    expect(runtime.built).toEqual([]);
  });

  it("builds the service's own platform when the list holds it", async () => {
    const { done, runtime } = await images('chosen');
    await done;
    expect(runtime.built.map((b) => b.platform)).toEqual(['linux/arm64']);
  });
});
