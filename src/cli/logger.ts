import pino, { type Logger } from 'pino';

/**
 * Structured logs are for machines and for --debug; people read the reporter. Without --debug the
 * logger is silent unless ENVTEST_LOG_LEVEL asks for more.
 */
export function createLogger(debug: boolean, file?: string): Logger {
  const level = process.env.ENVTEST_LOG_LEVEL ?? (debug ? 'debug' : file ? 'info' : 'silent');
  // Synchronous: the CLI ends with process.exit, which an asynchronous destination cannot survive.
  if (file) return pino({ level }, pino.destination({ dest: file, mkdir: true, sync: true }));
  return pino({ level }, pino.destination(2));
}
