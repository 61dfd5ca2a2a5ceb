// Each service's stdout and stderr, streamed to logs/<service>.log from its start to teardown, so a
// service that crashes keeps its last words even after its container is gone.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Redactor } from '../text/redact.js';

export class ServiceLogs {
  private readonly done: Promise<void>[] = [];
  private readonly streams: Readable[] = [];

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly dir: string,
    private readonly redactor: Redactor,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async follow(service: string, containerId: string): Promise<void> {
    const { stdout, stderr } = await this.runtime.logs(containerId, { follow: true });
    this.streams.push(stdout, stderr);
    const file = createWriteStream(join(this.dir, `${service}.log`), { flags: 'a' });
    const pump = (stream: Readable, tag: string) =>
      new Promise<void>((resolve) => {
        const lines = createInterface({ input: stream, crlfDelay: Infinity });
        lines.on('line', (line) => file.write(`${tag}${this.redactor.redact(line)}\n`));
        lines.on('close', resolve);
        stream.on('error', () => resolve());
      });
    this.done.push(
      Promise.all([pump(stdout, ''), pump(stderr, '')]).then(
        () => new Promise<void>((resolve) => file.end(resolve)),
      ),
    );
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

/** The last lines a container wrote, for failure messages. */
export async function lastLogLines(runtime: ContainerRuntime, containerId: string, count = 10): Promise<string[]> {
  try {
    const { stdout, stderr } = await runtime.logs(containerId, { follow: false, tail: count });
    const read = async (s: Readable) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(Buffer.from(c));
      return Buffer.concat(chunks).toString('utf8');
    };
    const [out, err] = await Promise.all([read(stdout), read(stderr)]);
    return `${out}${err}`.split('\n').filter((l) => l.trim()).slice(-count);
  } catch {
    return [];
  }
}
