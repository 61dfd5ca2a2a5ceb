// What `up()` gives a test: the running stack, reachable from the test process, checkable from a
// sidecar, torn down when the `await using` block ends.
import type { Logger } from 'pino';
import { openForwarder, type Forwarder } from '../access/forward.js';
import type { RunReport } from '../artifacts/report.js';
import { UsageError } from '../errors.js';
import type { RunnerEvent } from '../model/results.js';
import type { LoadedProject } from '../model/project.js';
import type { Suite } from '../model/suite.js';
import type { Environment as Stack } from '../orchestrator/lifecycle/environment.js';
import type { Backend } from '../runtime/backend.js';
import { didYouMean } from '../text/did-you-mean.js';
import { checkSuites, type SnapshotOptions } from './check.js';
import { execIn, logLines, type ExecOptions, type ExecOutput, type LogOptions } from './service-output.js';

/** Where the test process connects to reach a service's port (see {@link Environment.address}). */
export interface Address {
  host: string;
  port: number;
}

/** A service as it came up. */
export interface ServiceInfo {
  service: string;
  containerId: string;
  containerName: string;
  /** How it was judged ready: `healthy`, `completed` (a one-shot job that exited 0) or `running`. */
  readiness?: string;
  /** With `healthy`: `engine`, or `envtest probe` when envtest's own run of the health check passed first. */
  readinessSource?: string;
  /** Host ports, only with the `publish` option. */
  publishedPorts: { containerPort: number; protocol: string; hostIp: string; hostPort: string }[];
  /**
   * Every container of a service with `scale` or `deploy.replicas` above 1, from replica 1 (whose
   * id, name and ports are also the service's own above). Absent for a service with one container.
   */
  replicas?: { replica: number; containerId: string; containerName: string; publishedPorts: ServiceInfo['publishedPorts'] }[];
}

/** Options of {@link Environment.check}. */
export interface CheckOptions {
  /** Checks running at the same time (default 8, as `--concurrency`). */
  concurrency?: number;
  /** Called with each event the sidecar's runner streams (a check started, a result, done). */
  onEvent?: (event: RunnerEvent) => void;
  /**
   * How checks with `snapshot` compare with `__snapshots__/` beside their suite, as in `envtest run`:
   * a differing shape fails the check; a missing one is recorded, or fails in CI.
   */
  snapshots?: SnapshotOptions;
  /** Take the port inventory too (`--ports`; `{ strict: true }` is `--strict-ports`): its findings are checks of the suite `ports`. */
  ports?: boolean | { strict?: boolean };
  signal?: AbortSignal;
}

/** What {@link Environment.down} removed. */
export interface DownReport {
  removed: { containers: string[]; networks: string[]; volumes: string[] };
  failed: { kind: 'container' | 'network' | 'volume'; name: string; error: string }[];
  /** Services' pre_stop hooks that failed: said, and the teardown went on. */
  warnings?: string[];
  /** Resources still labelled with the run afterwards (0 after a clean teardown). */
  remaining: number;
  ms: number;
}

/**
 * A started environment. Leaving an `await using` block (or calling {@link Environment.down})
 * removes everything labelled with the run; if the process dies first, the run's reaper does.
 */
export class Environment implements AsyncDisposable {
  private forwarder: Promise<Forwarder> | undefined;
  private readonly addresses = new Map<string, Promise<Address>>();

  /** @internal */
  constructor(
    private readonly stack: Stack,
    private readonly runtime: Backend,
    private readonly internals: { loaded?: LoadedProject; logger: Logger; sidecarImage?: string; attached?: boolean },
  ) {}

  /** The run id: every container, network and volume of the run carries the label `envtest.run=<runId>`. */
  get runId(): string {
    return this.stack.runId;
  }

  /** The compose project name. */
  get projectName(): string {
    return this.stack.project.name;
  }

  /** The services that were started, by name. */
  get services(): Record<string, ServiceInfo> {
    return Object.fromEntries(
      Object.values(this.stack.services).map((s) => [
        s.service,
        { service: s.service, containerId: s.containerId, containerName: s.containerName, readiness: s.readiness, ...(s.readinessSource ? { readinessSource: s.readinessSource } : {}), publishedPorts: s.publishedPorts, ...(s.replicas ? { replicas: s.replicas } : {}) },
      ]),
    );
  }

  /**
   * A local address whose connections reach `service:port` inside the run's network, through the
   * same relay as `envtest forward`: nothing is published and the network may stay internal. One
   * helper container relays every address of the environment; it goes with the environment. Asking
   * again for the same service and port gives the same address.
   */
  async address(service: string, port: number): Promise<Address> {
    this.containerOf(service);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`address(): port takes 1-65535, not ${port}`);
    const key = `${service}:${port}`;
    let address = this.addresses.get(key);
    if (!address) {
      address = this.openForwarder()
        .then((f) => f.forward(service, port))
        .then(({ host, port: localPort }) => ({ host, port: localPort }));
      // A failed attempt is not remembered: the next call tries again.
      address.catch(() => this.addresses.delete(key));
      this.addresses.set(key, address);
    }
    return address;
  }

  /**
   * Runs check suites from a sidecar container on the run's networks, where `service:port` means
   * what it means to the services. Resolves with the run as report.json has it; failed checks are
   * in `status` and `checks`, not thrown. Throws EnvironmentError when the runner itself fails.
   */
  async check(suites: Suite | Suite[], options: CheckOptions = {}): Promise<RunReport> {
    return checkSuites(this.stack, this.runtime, Array.isArray(suites) ? suites : [suites], { ...options, ...this.internals });
  }

  /** The service's output so far (stdout and stderr, in order), one string per line. */
  async logs(service: string, options: LogOptions = {}): Promise<string[]> {
    return logLines(this.runtime, this.containerOf(service), options);
  }

  /** Runs a command in a running service (no TTY) and resolves with its exit code and output; a non-zero exit is not an error. */
  async exec(service: string, command: string[], options: ExecOptions = {}): Promise<ExecOutput> {
    return execIn(this.runtime, this.containerOf(service), service, command, options);
  }

  /**
   * Removes everything labelled with the run (reaper last). Safe to call more than once. An
   * environment from `attach()` is not this process's to remove: it throws a UsageError (use `close()`).
   */
  async down(): Promise<DownReport> {
    if (this.internals.attached) throw new UsageError(`run ${this.runId} was attached to, not started here: it stays up (close() lets go of it; \`envtest down ${this.runId}\` removes it)`);
    // The relay first: its helper would otherwise be one more container for teardown to kill.
    await this.close();
    return this.stack.down();
  }

  /** Lets go of what this object opened (the relay of `address()`) and leaves the run as it is. */
  async close(): Promise<void> {
    const forwarder = this.forwarder;
    this.forwarder = undefined;
    this.addresses.clear();
    await forwarder?.then((f) => f.close()).catch(() => undefined);
  }

  /** `await using env = await up(...)` calls {@link Environment.down} when the block ends; for `attach()`, {@link Environment.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.internals.attached) await this.close();
    else await this.down();
  }

  private openForwarder(): Promise<Forwarder> {
    if (!this.forwarder) {
      const forwarder = openForwarder(this.runtime, this.runId, {
        image: this.internals.sidecarImage,
        onConnectionError: (err, target) => this.internals.logger.warn({ err, target }, 'forwarded connection failed'),
      });
      this.forwarder = forwarder;
      forwarder.catch(() => this.forwarder === forwarder && (this.forwarder = undefined));
    }
    return this.forwarder;
  }

  private containerOf(service: string): string {
    const record = this.stack.services[service];
    if (record) return record.containerId;
    const known = Object.keys(this.stack.services);
    const guess = didYouMean(service, known);
    throw new UsageError(`no service "${service}" in run ${this.runId}${guess ? ` (did you mean "${guess}"?)` : ''}; services: ${known.sort().join(', ')}`);
  }
}
