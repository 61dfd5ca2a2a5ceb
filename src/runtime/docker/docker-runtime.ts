import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import pRetry, { AbortError } from 'p-retry';
import { EngineUnavailableError, EnvironmentError } from '../../errors.js';
import { BuildFailedError } from '../errors.js';
import type {
  BuildSpec,
  ContainerEvent,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ExecSession,
  ExecSpec,
  HeldStdin,
  ImageIdentity,
  Labels,
  LogOptions,
  ListedResources,
  NetworkSpec,
  ResourceSummary,
  VolumeOptions,
  ResourceUsage,
} from '../runtime.js';
import type { SocketTables } from '../backend.js';
import { INLINE_DOCKERFILE, packContext } from './build-context.js';
import { connectDocker, pingEngine } from './connect.js';
import { DEFAULT_ENGINE_HOST, discoverEngine, engineSocketPath, type EngineLocation } from './engine-discovery.js';
import { credentialsFor, loginHint } from './registry-auth.js';
import { containerCreateOptions, endpointConfig } from './container-options.js';
import { readJsonLines } from './json-lines.js';
import { classify, engineMessage, isNotFound, isNotRunning } from './engine-errors.js';
import { hostSocketTables } from './host-proc.js';
import { cpuPercent } from './stats.js';
import { detectEngineKind, type EngineKind } from './engine-kind.js';
import { PodmanHealthDriver } from './podman-health.js';
import { healthcheckOf } from './healthcheck-config.js';
import { dockerStatus } from './podman-states.js';

/** An empty value selects resources that carry the label with any value. */
const labelFilter = (labels: Labels) => Object.entries(labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`));

export class DockerRuntime implements ContainerRuntime {
  readonly endpoint: string;
  private readonly docker: Docker;
  private kind?: Promise<EngineKind>;
  private readonly podmanHealth: PodmanHealthDriver;

  /**
   * Finds the engine as the docker CLI would (see engine-discovery.ts); throws EngineConfigError when the settings are wrong.
   * `endpointPatienceMs`: how long a network removal waits out endpoints the engine still holds
   * (longer for a swarm's overlays, whose tasks leave them on other nodes).
   */
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly engine: EngineLocation = discoverEngine(env),
    private readonly tuning: { endpointPatienceMs?: number } = {},
  ) {
    this.endpoint = engine.host;
    this.docker = connectDocker(engine, env);
    // Every engine call goes through the modem's dial: the one place to turn Docker's wording and
    // dropped connections into the runtime's typed errors.
    const modem = this.docker.modem as unknown as { dial(options: unknown, cb: (err: unknown, data: unknown) => void): unknown };
    const dial = modem.dial.bind(modem);
    modem.dial = (options, cb) => dial(options, (err, data) => cb(err ? classify(err, this.endpoint) : err, data));
    this.podmanHealth = new PodmanHealthDriver(this.docker);
  }

  /** Docker or Podman, asked once; a failed ask is asked again next time rather than guessed for good. */
  private engineKind(): Promise<EngineKind> {
    this.kind ??= detectEngineKind(this.docker).catch(() => {
      this.kind = undefined;
      return 'docker' as const;
    });
    return this.kind;
  }

  /**
   * ENVTEST_DOCKER_SOCKET_OVERRIDE when set (as testcontainers' TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE).
   * Else a unix engine's own socket path, which is a path on the engine's host unless the engine
   * runs in a VM (Docker Desktop, Colima); there, and for tcp:// or ssh:// engines, the VM's or
   * remote host's default socket is the next guess.
   */
  engineSocketPaths(): string[] {
    if (this.env.ENVTEST_DOCKER_SOCKET_OVERRIDE) return [this.env.ENVTEST_DOCKER_SOCKET_OVERRIDE];
    return [...new Set([engineSocketPath(this.endpoint), engineSocketPath(DEFAULT_ENGINE_HOST)].filter((p): p is string => !!p))];
  }

  ping(): Promise<void> {
    return pingEngine(this.docker, this.engine);
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async inspectImage(ref: string): Promise<ImageIdentity | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      return { id: info.Id, repoDigests: info.RepoDigests ?? [], labels: info.Config?.Labels ?? {} };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async pullImage(ref: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = opts;
    const credentials = await credentialsFor(ref, this.env);
    // Registry hiccups (5xx, resets) are worth retrying; "not found" or "denied" are final.
    await pRetry(
      async () => {
        try {
          const stream = await this.docker.pull(ref, { abortSignal: signal, ...(credentials ? { authconfig: credentials.auth } : {}) });
          await new Promise<void>((resolve, reject) =>
            this.docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
              const failed = err ?? output.find((o) => o.error);
              if (failed) reject(failed instanceof Error ? failed : new Error((failed as { error: string }).error));
              else resolve();
            }),
          );
        } catch (e) {
          if (signal?.aborted) throw new AbortError(signal.reason as Error);
          const message = engineMessage(e);
          const final = /no such host|not found|manifest unknown|denied|unauthorized|invalid reference/i.test(message);
          const transient = !final && /\b(5\d\d|timeout|ECONNRESET|EAI_AGAIN|TLS handshake)\b/i.test(message);
          throw transient ? e : new AbortError(message);
        }
      },
      { retries: 3, minTimeout: 500, signal },
    ).catch((e: unknown) => {
      if (signal?.aborted) throw signal.reason;
      const message = engineMessage(e);
      throw new EnvironmentError(`image ${ref} is not available locally and could not be pulled: ${message}${loginHint(ref, message, credentials, this.env)}`);
    });
  }

  async buildImage(spec: BuildSpec, opts: { onLine?: (line: string) => void; signal?: AbortSignal } = {}): Promise<void> {
    const { onLine, signal } = opts;
    const inline = spec.dockerfileInline !== undefined;
    const dockerfile = inline ? INLINE_DOCKERFILE : (spec.dockerfile ?? 'Dockerfile');
    let failure: string | undefined;
    try {
      // Dropping the request (the signal) is how the docker CLI cancels a build too: the engine stops it.
      const stream = await this.docker.buildImage(packContext(spec.context, { dockerfile, inlineDockerfile: spec.dockerfileInline }), {
        t: spec.tag,
        dockerfile,
        // Only what is set: the modem sends an undefined value as `buildargs=`, which Docker reads as
        // absent but Podman fails to parse (a 400 with no body, so the build "fails" for no reason).
        ...(spec.args ? { buildargs: spec.args } : {}),
        ...(spec.target ? { target: spec.target } : {}),
        ...(spec.labels ? { labels: spec.labels } : {}),
        rm: true,
        forcerm: true,
        ...(spec.noCache ? { nocache: true } : {}),
        ...(spec.pull ? { pull: true } : {}),
        ...(spec.network ? { networkmode: spec.network } : {}),
        ...(spec.shmSize !== undefined ? { shmsize: spec.shmSize } : {}),
        // Repeated in the query (one `extrahosts` a host), as the docker CLI sends them.
        ...(spec.extraHosts?.length ? { extrahosts: spec.extraHosts as unknown as string } : {}),
        ...(spec.cacheFrom?.length ? { cachefrom: JSON.stringify(spec.cacheFrom) } : {}), // the API takes a JSON list
        ...(spec.platform ? { platform: spec.platform } : {}),
        abortSignal: signal,
      });
      for await (const line of readJsonLines<{ stream?: string; error?: string }>(stream)) {
        if (line.error) failure = line.error;
        if (line.stream?.trim()) onLine?.(line.stream.trimEnd());
      }
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (e instanceof EngineUnavailableError) throw e;
      failure = engineMessage(e);
    }
    if (failure) throw new BuildFailedError(`build of ${spec.tag} from ${spec.context} failed: ${failure.trim()}`, failure.trim());
    for (const extra of spec.extraTags ?? []) {
      const { repo, tag } = splitReference(extra);
      await this.docker.getImage(spec.tag).tag({ repo, tag });
    }
  }

  async createNetwork(spec: NetworkSpec): Promise<string> {
    const network = await this.docker.createNetwork({
      Name: spec.name,
      Internal: spec.internal,
      Labels: spec.labels,
      CheckDuplicate: true,
      Attachable: true,
      ...(spec.driver ? { Driver: spec.driver } : {}),
      ...(spec.options ? { Options: spec.options } : {}),
      ...(spec.enableIPv6 ? { EnableIPv6: true } : {}),
      ...(spec.ipam
        ? {
            IPAM: {
              Driver: spec.ipam.driver ?? 'default',
              Options: spec.ipam.options,
              Config: (spec.ipam.config ?? []).map((c) => ({ Subnet: c.subnet, IPRange: c.ipRange, Gateway: c.gateway, AuxiliaryAddresses: c.auxAddresses })),
            },
          }
        : {}),
    });
    return network.id;
  }

  async createVolume(name: string, labels: Labels, opts: VolumeOptions = {}): Promise<void> {
    await this.docker.createVolume({ Name: name, Labels: labels, ...(opts.driver ? { Driver: opts.driver } : {}), ...(opts.driverOpts ? { DriverOpts: opts.driverOpts } : {}) });
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.docker.createContainer(containerCreateOptions(spec));
    for (const extra of spec.networkMode ? [] : spec.networks.slice(1)) {
      await this.docker.getNetwork(extra.network).connect({ Container: container.id, EndpointConfig: endpointConfig(spec, extra) });
    }
    return container.id;
  }

  async startContainer(id: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    await this.docker.getContainer(id).start(abortOption(opts.signal));
    if ((await this.engineKind()) === 'podman') await this.podmanHealth.drive(id);
  }

  async inspectContainer(id: string, opts: { signal?: AbortSignal } = {}): Promise<ContainerState> {
    const info = await this.docker.getContainer(id).inspect(abortOption(opts.signal));
    const health = info.State.Health;
    const lastProbe = health?.Log?.at(-1);
    const ports = info.NetworkSettings.Ports ?? {};
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      status: dockerStatus(info.State.Status),
      exitCode: info.State.ExitCode,
      restartCount: info.RestartCount,
      // Podman reports a container without a check as `Health: { Status: "" }`, Docker omits Health.
      health: (health?.Status as ContainerState['health']) || 'none',
      lastHealthOutput: lastProbe?.Output?.trim() || undefined,
      healthcheck: healthcheckOf(info.Config as Parameters<typeof healthcheckOf>[0]),
      startedAt: info.State.StartedAt,
      publishedPorts: Object.entries(ports).flatMap(([key, bindings]) => {
        const [port, protocol] = key.split('/');
        return (bindings ?? []).map((b) => ({ containerPort: Number(port), protocol: protocol ?? 'tcp', hostIp: b.HostIp, hostPort: b.HostPort }));
      }),
      exposedPorts: Object.keys(info.Config.ExposedPorts ?? {}).map((key) => {
        const [port, protocol] = key.split('/');
        return { port: Number(port), protocol: protocol ?? 'tcp' };
      }),
      networkAddresses: Object.entries(info.NetworkSettings.Networks ?? {}).map(([network, n]) => ({
        network,
        ipv4: n.IPAddress || undefined,
        ipv6: n.GlobalIPv6Address || undefined,
      })),
    };
  }

  async putArchive(id: string, dir: string, tar: Buffer, opts: { signal?: AbortSignal } = {}): Promise<void> {
    await this.docker.getContainer(id).putArchive(tar, { path: dir, ...abortOption(opts.signal) });
  }

  async logs(id: string, opts: LogOptions): Promise<{ stdout: Readable; stderr: Readable }> {
    const container = this.docker.getContainer(id);
    const tty = opts.tty ?? (await container.inspect()).Config.Tty;
    const common = {
      stdout: true,
      stderr: true,
      ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
      // The engine takes seconds, fractions allowed.
      ...(opts.sinceMs !== undefined ? { since: opts.sinceMs / 1000 } : {}),
      ...(opts.timestamps ? { timestamps: true } : {}),
    };
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const end = () => {
      stdout.end();
      stderr.end();
    };
    if (!opts.follow) {
      // Non-follow logs arrive as one buffer, still multiplexed unless the container has a TTY.
      const raw = await container.logs({ ...common, follow: false });
      if (tty) stdout.end(raw);
      else demuxBuffer(raw, stdout, stderr);
      return { stdout, stderr };
    }
    // The streams are handed out before the engine answers: Podman 4 sends a follow's response
    // headers only with the container's first line of output, so awaiting them would hold the caller
    // for as long as a server stays silent (nginx logs to files: forever). The inspect above already
    // said the container exists (unless the caller knew its TTY: then a refusal ends the streams).
    const abort = new AbortController();
    // Destroying either side stops following: the engine connection must not outlive its reader.
    const stop = () => abort.abort();
    stdout.on('close', stop);
    stderr.on('close', stop);
    container.logs({ ...common, follow: true, abortSignal: abort.signal }).then((raw: NodeJS.ReadableStream) => {
      const stream = raw as Readable;
      if (abort.signal.aborted) return void stream.destroy();
      abort.signal.addEventListener('abort', () => stream.destroy(), { once: true });
      if (tty) stream.pipe(stdout);
      else {
        this.docker.modem.demuxStream(stream, stdout, stderr);
        stream.on('end', end);
      }
      stream.on('error', end);
    }, end);
    return { stdout, stderr };
  }

  async exec(id: string, spec: ExecSpec): Promise<ExecSession> {
    const tty = spec.tty ?? false;
    const exec = await this.docker.getContainer(id).exec({
      Cmd: spec.command,
      Env: spec.env && Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      User: spec.user,
      WorkingDir: spec.workingDir,
      ...(spec.privileged ? { Privileged: true } : {}),
      Tty: tty,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty })) as NodeJS.ReadWriteStream & { destroy(): void };
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (tty) stream.pipe(stdout);
    else this.docker.modem.demuxStream(stream, stdout, stderr);
    const ended = new Promise<void>((resolve) => {
      const finish = () => {
        stdout.end();
        stderr.end();
        resolve();
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
    });
    // Ending stdin half-closes the connection; the engine then closes the command's stdin.
    const stdin = new PassThrough();
    stdin.pipe(stream);
    const exitCode = ended.then(async () => {
      // The output can end a moment before the engine records the exit.
      for (let i = 0; i < 100; i++) {
        const info = await exec.inspect();
        if (!info.Running) return info.ExitCode ?? 0;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new EnvironmentError(`the command ${spec.command.join(' ')} in ${id.slice(0, 12)} closed its output but did not exit`);
    });
    // Callers that only care about the output must not get an unhandled rejection.
    exitCode.catch(() => undefined);
    return {
      stdin,
      stdout,
      stderr,
      exitCode,
      resize: async (columns, rows) => void (await exec.resize({ w: columns, h: rows })),
      close: () => stream.destroy(),
    };
  }

  async waitForExit(id: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const result = (await this.docker.getContainer(id).wait({ abortSignal: opts.signal })) as { StatusCode: number };
    return result.StatusCode;
  }

  async attachStdin(id: string, opts: { signal?: AbortSignal } = {}): Promise<HeldStdin> {
    const container = this.docker.getContainer(id);
    // Linked only while connecting: an abort later must not close the stdin a reaper watches.
    const stream = (await whileConnecting(opts.signal, (signal) =>
      container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true, ...abortOption(signal) }),
    )) as NodeJS.ReadWriteStream & { destroy(): void };
    const output = new PassThrough();
    const discard = new PassThrough().resume();
    this.docker.modem.demuxStream(stream, output, discard);
    stream.on('end', () => output.end());
    stream.on('error', () => output.end());
    return {
      output,
      send: (text) => void stream.write(text),
      close: () => {
        stream.end();
        stream.destroy();
      },
    };
  }

  async localSocketTables(id: string): Promise<(() => Promise<SocketTables>) | undefined> {
    // An engine reached over the network (or ssh) runs its containers elsewhere: not even asked.
    if (!/^(unix:\/\/|tcp:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/])/.test(this.endpoint)) return undefined;
    const info = await this.docker.getContainer(id).inspect();
    return info.State.Running ? hostSocketTables(info.Id, info.State.Pid) : undefined;
  }

  async stats(id: string, opts: { now?: boolean; signal?: AbortSignal } = {}): Promise<ResourceUsage | undefined> {
    try {
      // one-shot (API 1.41): the engine answers at once, with no previous CPU reading to compare with.
      const s = await this.docker.getContainer(id).stats({ stream: false, ...(opts.now ? { 'one-shot': true } : {}), ...abortOption(opts.signal) });
      return { at: Date.now(), ...(opts.now ? {} : { cpuPercent: cpuPercent(s) }), memoryBytes: s.memory_stats?.usage ?? 0 };
    } catch {
      return undefined; // The container may have exited between samples; a missing sample is fine.
    }
  }

  async *events(labels: Labels, signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const stream = (await this.docker.getEvents({
      filters: { type: ['container'], label: labelFilter(labels) },
    })) as unknown as Readable;
    // The subscription may have been cancelled while the request was on its way.
    if (signal.aborted) {
      stream.destroy();
      return;
    }
    const stop = () => stream.destroy();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const e of readJsonLines<{ Action: string; Actor: { ID: string; Attributes: Labels } }>(stream)) {
        yield { containerId: e.Actor.ID, action: e.Action, labels: e.Actor.Attributes };
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  async list(labels: Labels): Promise<ListedResources> {
    const filters = { label: labelFilter(labels) };
    const [containers, networks, volumes] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listNetworks({ filters }),
      this.docker.listVolumes({ filters }),
    ]);
    return {
      containers: containers.map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        labels: c.Labels,
        createdAt: new Date(c.Created * 1000),
        state: dockerStatus(c.State),
      })),
      networks: networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, createdAt: n.Created ? new Date(n.Created) : undefined })),
      volumes: (volumes.Volumes ?? []).map((v) => {
        const created = (v as unknown as { CreatedAt?: string }).CreatedAt;
        return { id: v.Name, name: v.Name, labels: v.Labels ?? {}, createdAt: created ? new Date(created) : undefined };
      }),
    };
  }

  async removeContainer(id: string, opts: { graceSeconds?: number } = {}): Promise<void> {
    const container = this.docker.getContainer(id);
    try {
      if (opts.graceSeconds) await container.stop({ t: opts.graceSeconds }).catch(() => undefined);
      await container.remove({ force: true, v: true });
    } catch (e) {
      // 409 "removal already in progress" ends with the container gone too.
      if (!isNotFound(e) && (e as { statusCode?: number }).statusCode !== 409) throw e;
    }
  }

  async cutOffContainer(id: string, networks: ResourceSummary[]): Promise<void> {
    const container = this.docker.getContainer(id);
    // The kill goes out before the inspect the detach waits for, so the engine has signalled the
    // process before it takes its network away; the detach does not wait for the exit to be seen.
    const killed = container.kill().catch((e: unknown) => {
      if (!isNotFound(e) && !isNotRunning(e)) throw e;
    });
    const detached = container.inspect().then(
      (info) => {
        // Keyed by network name; Podman before 5.4 gives the name as `NetworkID` too.
        const attached = Object.entries((info.NetworkSettings?.Networks ?? {}) as Record<string, { NetworkID?: string }>);
        const leaving = networks.filter((n) => attached.some(([name, a]) => name === n.name || a.NetworkID === n.id));
        return Promise.all(
          leaving.map((n) =>
            this.docker
              .getNetwork(n.id)
              .disconnect({ Container: id, Force: true })
              .catch((e: unknown) => {
                if (!isNotFound(e)) throw e;
              }),
          ),
        );
      },
      (e: unknown) => {
        if (!isNotFound(e)) throw e;
      },
    );
    await Promise.all([killed, detached]);
  }

  async removeNetwork(id: string): Promise<void> {
    const network = this.docker.getNetwork(id);
    try {
      // Usually nothing is attached any more (teardown removed the containers first): one call.
      await network.remove();
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!/active endpoints/i.test((e as Error).message)) throw e;
    }
    try {
      const info = (await network.inspect()) as { Containers?: Record<string, unknown> };
      // Best effort: one the engine will not detach (it is being removed) lets go with its removal,
      // which the patient retry below waits for.
      await Promise.all(Object.keys(info.Containers ?? {}).map((c) => network.disconnect({ Container: c, Force: true }).catch(() => undefined)));
      await removeWhileEndpointsLinger(() => network.remove(), this.tuning.endpointPatienceMs ?? ENDPOINT_PATIENCE_MS);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove({ force: true });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/**
 * A loaded engine keeps a removed container's endpoint for a moment (inspect no longer lists it,
 * yet removal answers 403 "has active endpoints"): a sweep that gave up there left the network behind.
 */
function removeWhileEndpointsLinger(remove: () => Promise<unknown>, patienceMs: number): Promise<unknown> {
  return pRetry(remove, { retries: Math.ceil(patienceMs / 100), minTimeout: 100, maxTimeout: 200, maxRetryTime: patienceMs, shouldRetry: (e) => /active endpoints/i.test(e.message) });
}

/** About what 25 retries of 100-200 ms gave: enough for one engine's endpoints to go. */
const ENDPOINT_PATIENCE_MS = 5000;

/** dockerode reads `abortSignal` from the options, and would send an absent one as an empty query parameter. */
function abortOption(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}

/** Runs `call` with a signal that follows `signal` until the call settles, and never after. */
async function whileConnecting<T>(signal: AbortSignal | undefined, call: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return call(undefined);
  signal.throwIfAborted();
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  try {
    return await call(controller.signal);
  } finally {
    signal.removeEventListener('abort', follow);
  }
}

/** `registry:5000/team/app:1.2` → repo `registry:5000/team/app`, tag `1.2` (`latest` when absent). */
export function splitReference(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? { repo: ref.slice(0, at), tag: ref.slice(at + 1) } : { repo: ref, tag: 'latest' };
}

/** Splits the engine's 8-byte-header multiplexed log format. */
function demuxBuffer(buf: Buffer, stdout: PassThrough, stderr: PassThrough): void {
  let offset = 0;
  while (offset + 8 <= buf.length) {
    const kind = buf[offset];
    const size = buf.readUInt32BE(offset + 4);
    const chunk = buf.subarray(offset + 8, offset + 8 + size);
    (kind === 2 ? stderr : stdout).write(chunk);
    offset += 8 + size;
  }
  stdout.end();
  stderr.end();
}
