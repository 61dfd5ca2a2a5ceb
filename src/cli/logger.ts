import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs are for machines and for --debug; people read the reporter. Without --debug the
 * logger is silent unless ENVTEST_LOG_LEVEL asks for more. Every line passes the redactor.
 * A log file that cannot be written (disk full, folder removed) is reported through `warn`, once,
 * and logging to it stops: a run is never ended by its own log.
 */
export function createLogger(debug: boolean, redact: (text: string) => string, file?: string, warn: (message: string) => void = () => undefined): Logger {
  const level = process.env.ENVTEST_LOG_LEVEL ?? (debug ? 'debug' : file ? 'info' : 'silent');
  const hooks = { streamWrite: redact };
  if (file) return pino({ level, hooks }, fileDestination(file, (e) => warn(`the log file ${file} could not be written, the rest of it is not saved: ${e.message}`)));
  return pino({ level, hooks }, pino.destination(2));
}

/** Synchronous writes: the CLI ends with process.exit, which an asynchronous destination cannot survive. */
function fileDestination(file: string, failed: (e: Error) => void): DestinationStream {
  let fd: number | undefined;
  const fail = (e: unknown) => {
    fd = undefined;
    failed(e as Error);
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'a');
  } catch (e) {
    fail(e);
  }
  return {
    write(line: string) {
      if (fd === undefined) return;
      try {
        writeSync(fd, line);
      } catch (e) {
        fail(e);
      }
    },
  };
}
