// The library's `up()` options, and everything about them that can be refused without an engine:
// the CLI's `up` and `run` go through the same step, so a flag and an option mean the same thing.
import type { Logger } from 'pino';
import { loadProject } from '../compose/index.js';
import { UsageError } from '../errors.js';
import { DURATION_HINT, MAX_DURATION_MS, durationProblem, parseDuration } from '../model/duration.js';
import type { LoadedProject } from '../model/project.js';
import { checkRunId, generateRunId } from '../orchestrator/lifecycle/run-id.js';
import type { BuildPolicy } from '../orchestrator/images/images.js';
import { checkStartable } from '../orchestrator/lifecycle/up.js';
import type { Redactor } from '../text/redact.js';
import { redactorFor } from './secrets.js';

/** What `up()` takes. Each option mirrors the `envtest up` flag of the same name. */
export interface UpOptions {
  /** Compose files, merged in order by the Compose rules (`-f`). Default: compose.yaml etc. in `cwd`. */
  files?: string[];
  /** The project directory (`--project-directory`). Default: the first file's directory. */
  projectDirectory?: string;
  /** The project name (`-p`). Default: `name:` in the files, else the directory's name. */
  projectName?: string;
  /** Profiles to activate (`--profile`); `COMPOSE_PROFILES` in `env` works too. */
  profiles?: string[];
  /** Env files (`--env-file`). Default: `.env` in the project directory when present. */
  envFiles?: string[];
  /**
   * Variables for interpolation and `environment:`-sourced secrets, layered over `process.env`
   * (a value here wins; `undefined` unsets a variable).
   */
  env?: Record<string, string | undefined>;
  /** Where relative paths are resolved. Default: `process.cwd()`. */
  cwd?: string;
  /** Names everything the run makes (`--run-id`). Default: generated, e.g. `cedar-4f2a`. */
  runId?: string;
  /** How long the stack may take to become ready (`--timeout`): milliseconds, or a duration such as `'90s'`. Default 120 s. */
  timeout?: number | string;
  /** Let the stack reach outside networks (`--egress`). Default: internal networks only. */
  egress?: boolean;
  /** Where services run (`--backend`): `docker` (default) or `swarm`, against the manager DOCKER_HOST names. */
  backend?: 'docker' | 'swarm';
  /** Swarm: the registry (`host:port`) built images are pushed to and every node pulls from (`--registry`). */
  registry?: string;
  /**
   * Publish the declared `ports:` (`--publish`): `true` or `'free'` on free host ports, `'declared'`
   * as written. Implies egress. `address()` needs no publishing.
   */
  publish?: boolean | 'free' | 'declared';
  /**
   * `true` (default): build `build:` images whose context, Dockerfile or arguments changed since
   * the image was built (`envtest.build-hash` label), else use it as it is; `'always'` builds every
   * run (`--build`); `false` reuses existing images (`--no-build`).
   */
  build?: boolean | 'always';
  /** Leave a stack that failed to start, for inspection (`--keep-on-failure`). */
  keepOnFailure?: boolean;
  /** Let services bind-mount the engine socket (`--allow-engine-socket`). */
  allowEngineSocket?: boolean;
  /**
   * Start a reaper container that removes the run if this process dies, even by SIGKILL (default
   * `true`; `false` is `--no-reaper`, and `ENVTEST_REAPER=off` also turns it off).
   */
  reaper?: boolean;
  /** Image of the check sidecar and the reaper (`--sidecar-image`): any image with node >= 18. */
  sidecarImage?: string;
  /** A pino logger for envtest's structured logs (the CLI's `--debug`). Default: silent. */
  logger?: Logger;
  /** Aborting it stops the start and removes what was made; `up()` then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A validated start: the loaded project and the settings that came from the options. */
export interface PreparedUp {
  loaded: LoadedProject;
  runId: string;
  redactor: Redactor;
  timeoutMs: number;
  egress: boolean;
  publish?: 'free' | 'declared';
  build: BuildPolicy;
  keepOnFailure: boolean;
  allowEngineSocket: boolean;
  reaper: boolean;
  sidecarImage?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Loads and checks the project and options; throws ValidationError / UsageError before any engine call. */
export async function prepareUp(options: UpOptions): Promise<PreparedUp> {
  const timeoutMs = timeoutOf(options.timeout);
  const publish = publishMode(options.publish);
  const runId = checkRunId(options.runId ?? generateRunId());
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  const loaded = await loadProject({
    files: options.files,
    projectDirectory: options.projectDirectory,
    projectName: options.projectName,
    envFiles: options.envFiles,
    profiles: options.profiles,
    env,
    cwd: options.cwd,
    backend: options.backend,
  });
  const allowEngineSocket = !!options.allowEngineSocket;
  // up() checks the engine socket again once it knows the runtime's endpoint.
  checkStartable(loaded.project, { allowEngineSocket, environment: loaded.environment, locate: loaded.locate, publish });
  return {
    loaded,
    runId,
    redactor: redactorFor(loaded),
    timeoutMs,
    egress: !!options.egress,
    publish,
    build: options.build === false ? 'missing' : options.build === 'always' ? 'always' : 'changed',
    keepOnFailure: !!options.keepOnFailure,
    allowEngineSocket,
    reaper: options.reaper !== false && (options.env?.ENVTEST_REAPER ?? process.env.ENVTEST_REAPER) !== 'off',
    sidecarImage: options.sidecarImage ?? options.env?.ENVTEST_SIDECAR_IMAGE ?? process.env.ENVTEST_SIDECAR_IMAGE,
  };
}

function timeoutOf(timeout: number | string | undefined): number {
  return timeout === undefined ? DEFAULT_TIMEOUT_MS : durationOption('timeout', timeout);
}

/** A duration option in milliseconds, or as `'90s'`; `name` is the option the message names. */
export function durationOption(name: string, value: number | string): number {
  if (typeof value === 'number') {
    if (!(value > 0 && value <= MAX_DURATION_MS)) throw new UsageError(`${name} ${value}: milliseconds above 0 and at most ${MAX_DURATION_MS}, or ${DURATION_HINT}`);
    return value;
  }
  const problem = durationProblem(value, { positive: true });
  if (problem) throw new UsageError(`${name} ${JSON.stringify(value)}: ${problem}`);
  return parseDuration(value)!;
}

/** One meaning of `publish` for the library option and the CLI flag; `name` is what the user wrote. */
export function publishMode(value: boolean | string | undefined, name = 'publish'): 'free' | 'declared' | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === 'free') return 'free';
  if (value === 'declared') return 'declared';
  throw new UsageError(`${name} takes free or declared, not "${value}"`);
}
