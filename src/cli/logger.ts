import pino, { type Logger } from 'pino';

/**
 * Structured logs are for machines and for --debug; people read the reporter. Without --debug the
 * logger is silent unless ENVTEST_LOG_LEVEL asks for more. Every line passes the redactor.
 */
export function createLogger(debug: boolean, redact: (text: string) => string, file?: string): Logger {
  const level = process.env.ENVTEST_LOG_LEVEL ?? (debug ? 'debug' : file ? 'info' : 'silent');
  const hooks = { streamWrite: redact };
  // Synchronous: the CLI ends with process.exit, which an asynchronous destination cannot survive.
  if (file) return pino({ level, hooks }, pino.destination({ dest: file, mkdir: true, sync: true }));
  return pino({ level, hooks }, pino.destination(2));
}
