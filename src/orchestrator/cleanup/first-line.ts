// Containers envtest starts with an attached stdin (the reaper, helpers) say one line once they
// hold it; until then, a dead envtest would not be noticed by them.
import { createInterface } from 'node:readline';

/** True once a line passing `test` arrives; false when the output ends or `timeoutMs` passes first. */
export async function awaitLine(output: NodeJS.ReadableStream, test: (line: string) => boolean, timeoutMs = 15_000): Promise<boolean> {
  const timer = setTimeout(() => output.emit('end'), timeoutMs);
  try {
    for await (const line of createInterface({ input: output })) {
      if (test(line)) return true;
    }
    return false;
  } finally {
    clearTimeout(timer);
  }
}
