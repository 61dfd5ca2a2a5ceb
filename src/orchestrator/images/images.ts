// The image of each service, built or pulled on its own: a service starts as soon as its own image
// (and its dependencies) are there, not once every build has finished. A missing or failing image
// still fails the start, and what had started is torn down. Local first (registries are often
// unreachable), then build or pull.
import type { Logger } from 'pino';
import { EnvironmentError, ValidationError } from '../../errors.js';
import type { BuildConfig, ComposeProject, LoadedProject, ServiceConfig } from '../../model/project.js';
import { BuildFailedError } from '../../runtime/errors.js';
import type { BuildSpec, Backend, ImageIdentity } from '../../runtime/backend.js';
import type { ProgressListener } from '../lifecycle/progress.js';
import { parseBytes } from '../../model/compose-units.js';
import { BUILD_HASH_LABEL, buildHash, type BaseImages } from './build-hash.js';

/** When a service's `build:` runs: see EnsureImagesOptions.build. */
export type BuildPolicy = 'changed' | 'always' | 'missing';

/** The image a service runs: its `image`, or the name compose gives a built one. */
export function imageFor(project: ComposeProject, service: string, config: ServiceConfig): string {
  return config.image ?? `${project.name}-${service}`;
}

export interface EnsureImagesOptions {
  runtime: Backend;
  project: ComposeProject;
  /**
   * `changed` (the default) builds unless the image was built from exactly these inputs (its
   * BUILD_HASH_LABEL), so a test never runs yesterday's code and an unchanged one costs no build;
   * `always` builds every run (layer-cached); `missing` builds only absent images.
   */
  build?: BuildPolicy;
  logger: Logger;
  progress: ProgressListener;
  signal?: AbortSignal;
  /** Where a key path of the project came from, so a refusal names file and line. */
  locate?: LoadedProject['locate'];
}

export interface ImagesUnderWay {
  /** The image each service runs. */
  names: Record<string, string>;
  /** Settles once the service's image is there (or could not be had). */
  ready: Record<string, Promise<void>>;
}

/** Starts getting every image at once; each service's promise is its own image's. */
export function startImages(opts: EnsureImagesOptions): ImagesUnderWay {
  const { project } = opts;
  const names: Record<string, string> = {};
  const ready: Record<string, Promise<void>> = {};
  const pending = new Map<string, Promise<void>>();
  // Services built FROM one base image ask the engine about it once.
  const bases = new Map<string, Promise<ImageIdentity | undefined>>();
  const baseLookup = { inspectImage: (ref: string) => getOrSet(bases, ref, () => opts.runtime.inspectImage(ref)) };
  for (const [service, config] of Object.entries(project.services)) {
    const image = (names[service] = imageFor(project, service, config));
    // Two services on one image must not pull or build it twice at once.
    if (!pending.has(image)) pending.set(image, ensureOne(opts, service, config, image, baseLookup));
    ready[service] = pending.get(image)!;
  }
  return { names, ready };
}


function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  if (!map.has(key)) map.set(key, make());
  return map.get(key)!;
}

async function ensureOne(opts: EnsureImagesOptions, service: string, config: ServiceConfig, image: string, bases: BaseImages): Promise<void> {
  const { runtime, progress, logger } = opts;
  const started = Date.now();
  const policy = config.pull_policy ?? (config.build ? 'build' : 'missing');
  const build = opts.build ?? 'changed';
  const spec = config.build && buildSpec(config.build, image, config.platform);
  // Hashed even when forced, so the image built is labelled and the next run can skip it.
  const hashes = !!spec && build !== 'missing';
  if (hashes) refuseSeveralPlatforms(opts, service, config);
  // A built image's labels and the hash of its inputs are asked for at once: whether to build is
  // decided one engine round trip after the start, not three.
  const [found, hashed] = await Promise.all([spec ? runtime.inspectImage(image) : undefined, hashes ? buildHash(bases, spec) : undefined]);
  const exists = spec ? found !== undefined : await runtime.imageExists(image);
  opts.signal?.throwIfAborted();
  if (spec && (!exists || build !== 'missing')) {
    refuseSeveralPlatforms(opts, service, config);
    const hash = hashes ? hashed : await buildHash(bases, spec);
    opts.signal?.throwIfAborted();
    if (build === 'changed' && hash && found?.labels[BUILD_HASH_LABEL] === hash) {
      progress({ type: 'image', service, image, action: 'unchanged' });
      return;
    }
    progress({ type: 'image', service, image, action: 'building' });
    const log = logger.child({ service, image });
    const labelled = hash ? { ...spec, labels: { ...spec.labels, [BUILD_HASH_LABEL]: hash } } : spec;
    await runtime.buildImage(labelled, { onLine: (line) => log.debug({ build: line }), signal: opts.signal }).catch((e: unknown) => {
      // The engine's reason, for the service that asked: a failing build is the environment's failure, not ours.
      if (e instanceof BuildFailedError) throw new EnvironmentError(`service ${service}: building image ${image} failed: ${e.engineMessage}`, { service });
      throw e;
    });
    progress({ type: 'image', service, image, action: 'built', ms: Date.now() - started });
    return;
  }
  if (exists && policy !== 'always') {
    progress({ type: 'image', service, image, action: 'present' });
    return;
  }
  if (policy === 'never') throw new EnvironmentError(`image ${image} of service ${service} is not present locally, and pull_policy is never`, { service });
  progress({ type: 'image', service, image, action: 'pulling' });
  await runtime.pullImage(image, { signal: opts.signal });
  progress({ type: 'image', service, image, action: 'pulled', ms: Date.now() - started });
}

/**
 * The classic builder of the engine API builds one platform; docker compose without BuildKit refuses
 * several too. Checked only here, where the image must be built: `config` prints the list, and a
 * present image with `--build missing` needs no build. The service's own `platform` picks one.
 */
function refuseSeveralPlatforms(opts: EnsureImagesOptions, service: string, config: ServiceConfig): void {
  const platforms = config.build?.platforms ?? [];
  if (platforms.length < 2 || (config.platform && platforms.includes(config.platform))) return;
  const path = ['services', service, 'build', 'platforms'];
  const message = `lists ${platforms.length} platforms (${platforms.join(', ')}) and the image must be built: not supported (needs BuildKit; envtest builds through the engine API classic builder, which builds one platform; not planned); list one, or set the service's platform to the one to build`;
  throw new ValidationError([{ ...opts.locate?.(path), path: path.join('.'), message }], 'compose project');
}

function definedArgs(args?: Record<string, string | null>): Record<string, string> | undefined {
  if (!args) return undefined;
  return Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== null));
}

/**
 * Pure: a service's `build:` section to what the runtime builds. One platform: the service's own when
 * the build lists it (refuseSeveralPlatforms saw to that), else the one listed, else none.
 */
export function buildSpec(build: BuildConfig, image: string, platform?: string): BuildSpec {
  return {
    context: build.context,
    dockerfile: build.dockerfile,
    dockerfileInline: build.dockerfile_inline,
    tag: image,
    args: definedArgs(build.args),
    target: build.target,
    labels: build.labels,
    noCache: build.no_cache,
    pull: build.pull,
    network: build.network,
    shmSize: build.shm_size === undefined ? undefined : parseBytes(build.shm_size),
    extraHosts: build.extra_hosts?.map((h) => h.replace('=', ':')),
    cacheFrom: build.cache_from,
    extraTags: build.tags?.filter((t) => t !== image),
    platform: platform && build.platforms?.includes(platform) ? platform : (build.platforms?.[0] ?? platform),
  };
}
