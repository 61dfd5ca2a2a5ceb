// Each service's stdout and stderr, streamed to logs/<service>.log from its start to teardown, so a
// service that crashes keeps its last words even after its container is gone. The same lines with
// the engine's timestamps go to logs/<service>.ndjson, for finding what a service said when. The
// replicas of a scaled service share its files, each line prefixed `<service>-<n> | ` as
// `docker compose logs` shows them (and `replica: n` in the twin).
import { appendFileSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LOG_TWIN_SUFFIX, splitEngineTime, type LogLine } from '../../artifacts/log-lines.js';
import type { Backend } from '../../runtime/backend.js';
import type { Redactor } from '../../text/redact.js';

export class ServiceLogs {
  private readonly done: Promise<void>[] = [];
  private readonly streams: Readable[] = [];
  /** Per service: its two files, shared by its replicas, closed when the last of them ends. */
  private readonly files = new Map<string, { file: LogFile; twin: LogFile; followers: number }>();
  /** Set when the folder cannot be made: services are still followed (so their streams drain), nothing is written. */
  private readonly unwritable: boolean;

  /** A file that cannot be written (disk full, folder removed) is reported through `warn`, once, and skipped. */
  constructor(
    private readonly runtime: Backend,
    private readonly dir: string,
    private readonly redactor: Redactor,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
      this.unwritable = false;
    } catch (e) {
      warn(`service logs are not saved: ${(e as Error).message}`);
      this.unwritable = true;
    }
  }

  /** `replica`: set for a service with several containers; its lines are prefixed with it. */
  async follow(service: string, containerId: string, replica?: number): Promise<void> {
    if (this.unwritable) return;
    // Counted before the first await: a replica that ends at once must not close the files another still needs.
    const shared = this.files.get(service) ?? { file: this.open(service, join(this.dir, `${service}.log`)), twin: this.open(service, join(this.dir, `${service}${LOG_TWIN_SUFFIX}`)), followers: 0 };
    this.files.set(service, shared);
    shared.followers++;
    const release = async () => {
      if (--shared.followers === 0) await Promise.all([shared.file.end(), shared.twin.end()]);
    };
    const streams = await this.runtime.logs(containerId, { follow: true, timestamps: true }).catch(async (e: unknown) => {
      await release();
      throw e;
    });
    const { stdout, stderr } = streams;
    this.streams.push(stdout, stderr);
    const { file, twin } = shared;
    const prefix = replica === undefined ? '' : `${service}-${replica} | `;
    const pump = (stream: Readable, name: LogLine['stream']) =>
      new Promise<void>((resolve) => {
        const lines = createInterface({ input: stream, crlfDelay: Infinity });
        lines.on('line', (raw) => {
          const { at, line } = splitEngineTime(raw, Date.now());
          const safe = this.redactor.redact(line);
          file.write(`${prefix}${safe}\n`);
          twin.write(`${JSON.stringify({ service, ...(replica === undefined ? {} : { replica }), at, stream: name, line: safe } satisfies LogLine)}\n`);
        });
        lines.on('close', resolve);
        stream.on('error', () => resolve());
      });
    this.done.push(
      Promise.all([pump(stdout, 'stdout'), pump(stderr, 'stderr')]).then(release),
    );
  }

  /**
   * Lines that belong to the service but are not its container's output (its lifecycle hooks'),
   * appended to its files with a `<source> | ` prefix, as docker compose shows hook output.
   */
  note(service: string, source: string, lines: { stream: LogLine['stream']; line: string }[], replica?: number): void {
    if (this.unwritable || !lines.length) return;
    const at = Date.now();
    const safe = lines.map((l) => ({ ...l, line: `${source} | ${this.redactor.redact(l.line)}` }));
    try {
      appendFileSync(join(this.dir, `${service}.log`), safe.map((l) => `${l.line}\n`).join(''));
      appendFileSync(join(this.dir, `${service}${LOG_TWIN_SUFFIX}`), safe.map((l) => `${JSON.stringify({ service, ...(replica === undefined ? {} : { replica }), at, stream: l.stream, line: l.line } satisfies LogLine)}\n`).join(''));
    } catch (e) {
      this.warn(`the ${source} output of ${service} could not be written to ${this.dir}: ${(e as Error).message}`);
    }
  }

  /** A log file that, once it fails (disk full, folder removed), says so once and takes no more writes. */
  private open(service: string, path: string): LogFile {
    const file = createWriteStream(path, { flags: 'a' });
    let broken = false;
    const closed = new Promise<void>((resolve) => file.once('close', resolve));
    file.on('error', (e) => {
      if (!broken) this.warn(`the log of ${service} could not be written to ${path}, the rest of it is not saved: ${e.message}`);
      broken = true;
    });
    return {
      write: (text) => {
        if (!broken) file.write(text);
      },
      // A file that failed is closed already: its `end` callback would never come, its `close` has.
      end: () => {
        file.end();
        return closed;
      },
    };
  }

  /** Stops following (the containers keep running); what was written so far stays in the files. */
  stop(): void {
    for (const s of this.streams) s.destroy();
  }

  /** Resolves once every followed stream ended (their containers stopped) and files are flushed. */
  async flush(maxWaitMs = 3000): Promise<void> {
    await Promise.race([Promise.all(this.done), new Promise((r) => setTimeout(r, maxWaitMs).unref())]);
  }
}

interface LogFile {
  write(text: string): void;
  end(): Promise<void>;
}

export async function readText(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

/** A container's lines since `sinceMs` with the engine's time, for runs that did not follow its log. */
export async function timedLogLines(runtime: Backend, service: string, containerId: string, sinceMs: number): Promise<LogLine[]> {
  try {
    const { stdout, stderr } = await runtime.logs(containerId, { follow: false, timestamps: true, sinceMs });
    const [out, err] = await Promise.all([readText(stdout), readText(stderr)]);
    const lines = (text: string, stream: LogLine['stream']) =>
      text
        .split('\n')
        .filter((l) => l.trim())
        .map((raw) => ({ service, stream, ...splitEngineTime(raw, sinceMs) }));
    return [...lines(out, 'stdout'), ...lines(err, 'stderr')];
  } catch {
    return [];
  }
}

/** The last lines a container wrote, for failure messages. */
export async function lastLogLines(runtime: Backend, containerId: string, count = 10): Promise<string[]> {
  try {
    const { stdout, stderr } = await runtime.logs(containerId, { follow: false, tail: count });
    const [out, err] = await Promise.all([readText(stdout), readText(stderr)]);
    return `${out}${err}`.split('\n').filter((l) => l.trim()).slice(-count);
  } catch {
    return [];
  }
}
