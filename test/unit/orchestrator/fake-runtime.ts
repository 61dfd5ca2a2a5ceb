// An in-memory engine for the orchestrator's race tests: timings are controlled, so the windows
// that real engines hit only sometimes (a create landing after teardown began, an abort between
// phases) are hit every time. Engine behaviour itself is tested against a real engine in test/e2e.
import { PassThrough } from 'node:stream';
import { NameConflictError } from '../../../src/runtime/errors.js';
import type { Backend } from '../../../src/runtime/backend.js';
import { DOCKER_LIMITS, withDockerVerbs } from '../../../src/runtime/docker/docker-backend.js';
import type { ContainerEvent, ContainerRuntime, ContainerSpec, ContainerState, ExecSession, ExecSpec, HeldStdin, Labels, ListedResources, NetworkSpec, ResourceSummary } from '../../../src/runtime/runtime.js';

interface FakeContainer {
  spec: ContainerSpec;
  state: ContainerState;
}

const matches = (labels: Labels, selector: Labels) => Object.entries(selector).every(([k, v]) => (v === '' ? k in labels : labels[k] === v));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Docker-shaped engine in memory; FakeRuntime below answers the backend verbs over it, as Docker's backend does. */
class FakeEngine implements ContainerRuntime {
  readonly endpoint = 'fake://';
  readonly containers = new Map<string, FakeContainer>();
  readonly networks = new Map<string, NetworkSpec>();
  readonly volumes = new Map<string, Labels>();
  readonly released: string[] = [];
  /**
   * Per service: how long creating its container takes, and the exit code it dies with at start (if any;
   * by container name for one replica of a scaled service).
   * `networkConflict` runs when a network is about to be created, then the create fails as taken:
   * another process got the run id first. An attached container says it is watching; a reaper whose
   * stdin closes while it still exists removes its run. Each let-go hold is in `released` (its role).
   */
  constructor(
    readonly behaviour: {
      createDelayMs?: Record<string, number>;
      exitsAtStart?: Record<string, number>;
      networkDelayMs?: number;
      networkConflict?: (runtime: FakeEngine) => Promise<void>;
    } = {},
  ) {}
  private seq = 0;

  engineSocketPaths() {
    return ['/var/run/docker.sock'];
  }

  async ping() {}
  async imageExists() {
    return true;
  }
  async inspectImage() {
    return { id: 'sha256:fake', repoDigests: [], labels: {} };
  }
  async pullImage() {}
  async buildImage() {}
  async createNetwork(spec: NetworkSpec) {
    await sleep(this.behaviour.networkDelayMs ?? 0);
    if (this.behaviour.networkConflict) {
      await this.behaviour.networkConflict(this);
      throw new NameConflictError(`network ${spec.name} already exists`, 'already exists');
    }
    this.networks.set(spec.name, spec);
    return spec.name;
  }
  async createVolume(name: string, labels: Labels) {
    this.volumes.set(name, labels);
  }
  async createContainer(spec: ContainerSpec) {
    const service = spec.labels['envtest.service'] ?? spec.name;
    await sleep(this.behaviour.createDelayMs?.[service] ?? 0);
    const id = `c${++this.seq}`;
    this.containers.set(id, { spec, state: { id, name: spec.name, status: 'created', exitCode: 0, restartCount: 0, health: 'none', publishedPorts: [] } });
    return id;
  }
  async startContainer(id: string) {
    const c = this.containers.get(id)!;
    const service = c.spec.labels['envtest.service'] ?? '';
    const exit = this.behaviour.exitsAtStart?.[c.spec.name] ?? this.behaviour.exitsAtStart?.[service];
    c.state = { ...c.state, status: exit === undefined ? 'running' : 'exited', exitCode: exit ?? 0, startedAt: new Date().toISOString() };
  }
  async inspectContainer(id: string) {
    const c = this.containers.get(id);
    if (!c) throw Object.assign(new Error('no such container'), { statusCode: 404 });
    return c.state;
  }
  async putArchive() {}
  /** Followed logs of a running container stay open until it is removed, as on an engine. */
  private readonly following = new Map<string, PassThrough[]>();
  async logs(id: string, opts: { follow: boolean }) {
    const streams = [new PassThrough(), new PassThrough()] as const;
    if (opts.follow && this.containers.get(id)?.state.status === 'running') this.following.set(id, [...(this.following.get(id) ?? []), ...streams]);
    else streams.forEach((s) => s.end());
    return { stdout: streams[0], stderr: streams[1] };
  }
  async waitForExit() {
    return 0;
  }
  async exec(_id: string, _spec: ExecSpec): Promise<ExecSession> {
    throw new Error('the fake runtime runs no commands');
  }
  async attachStdin(id: string): Promise<HeldStdin> {
    const output = new PassThrough();
    output.write(`${JSON.stringify({ watching: true })}\n`);
    const role = this.containers.get(id)?.spec.labels['envtest.role'] ?? 'gone';
    const close = () => {
      this.released.push(role);
      const run = this.containers.get(id)?.spec.labels['envtest.run'];
      if (!run || role !== 'reaper') return;
      setTimeout(() => {
        for (const [cid, c] of this.containers) if (c.spec.labels['envtest.run'] === run) this.containers.delete(cid);
        for (const [name, n] of this.networks) if (n.labels['envtest.run'] === run) this.networks.delete(name);
        for (const [name, labels] of this.volumes) if (labels['envtest.run'] === run) this.volumes.delete(name);
      }, 10);
    };
    // What a job is sent goes nowhere: the fake runs no process to read it.
    return { output, send: () => undefined, close };
  }
  async stats() {
    return undefined;
  }
  async *events(_labels: Labels, signal: AbortSignal): AsyncGenerator<ContainerEvent> {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
  async list(selector: Labels): Promise<ListedResources> {
    const summary = (id: string, name: string, labels: Labels, state?: string): ResourceSummary => ({ id, name, labels, state });
    return {
      containers: [...this.containers].filter(([, c]) => matches(c.spec.labels, selector)).map(([id, c]) => summary(id, c.spec.name, c.spec.labels, c.state.status)),
      networks: [...this.networks].filter(([, n]) => matches(n.labels, selector)).map(([name, n]) => summary(name, name, n.labels)),
      volumes: [...this.volumes].filter(([, l]) => matches(l, selector)).map(([name, l]) => summary(name, name, l)),
    };
  }
  async removeContainer(id: string) {
    this.containers.delete(id);
    for (const s of this.following.get(id) ?? []) s.end();
    this.following.delete(id);
  }
  async cutOffContainer(id: string, _networks: ResourceSummary[]) {
    const c = this.containers.get(id);
    if (c) c.state = { ...c.state, status: 'exited' };
  }
  async removeNetwork(id: string) {
    this.networks.delete(id);
  }
  async removeVolume(name: string) {
    this.volumes.delete(name);
  }
  get resourceCount() {
    return this.containers.size + this.networks.size + this.volumes.size;
  }
}

export class FakeRuntime extends withDockerVerbs(FakeEngine) implements Backend {
  readonly name = 'docker';
  override readonly limits = DOCKER_LIMITS;
}
