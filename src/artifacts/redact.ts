// Values of variables whose names look secret never reach logs, reports or the terminal. Redaction
// works on values, not names, because a password also leaks when a service echoes its DSN.
const SECRET_NAME = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL/i;
/** Shorter values ("1", "on") would shred unrelated output and protect nothing. */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    this.pattern = values.length ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  redact(text: string): string {
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (!this.pattern) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Secret-looking values from any number of `NAME → value` maps (service environments, the process env). */
export function secretValues(...envs: (Record<string, string | null | undefined> | undefined)[]): string[] {
  return envs.flatMap((env) => Object.entries(env ?? {}).filter(([k, v]) => isSecretName(k) && typeof v === 'string').map(([, v]) => v as string));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
