// One JSON object per line on stdout: the orchestrator reads progress live, and a crash midway
// still leaves every finished result on record.
import type { RunnerEvent } from '../model/results.js';

export type Emit = (event: RunnerEvent) => void;

export function lineEmitter(write: (line: string) => void): Emit {
  return (event) => write(`${JSON.stringify(event)}\n`);
}

/** Resolves once everything written so far has been handed to the OS, so exiting loses nothing. */
export function drain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
