import type { Readable } from 'node:stream';

/** The engine streams builds, pulls and events as JSON objects separated by newlines. */
export async function* readJsonLines<T>(stream: NodeJS.ReadableStream | Readable): AsyncIterable<T> {
  let buffered = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as T;
}
