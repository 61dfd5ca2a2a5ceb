// One rule for what counts as a secret, used on the host (logs, reports, terminal) and in the
// sidecar (check messages). Redaction works on values, not names, because a password also leaks
// when a service echoes its connection URL.

const SECRET_NAME = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|AUTHORIZATION/i;
/** Shorter values ("1", "on") would shred unrelated output and protect nothing. */
const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Redactor {
  private readonly pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    const forms = new Set<string>();
    for (const s of secrets) {
      if (s.length < MIN_SECRET_LENGTH) continue;
      // URL-encoded too: clients print DSNs such as postgres://app:p%40ss@db/app. JSON-escaped too:
      // structured logs are redacted as JSON text, where `pa"ss` reads `pa\"ss`.
      forms.add(s).add(encodeURIComponent(s)).add(JSON.stringify(s).slice(1, -1));
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  redact(text: string): string {
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }

  /** A copy with every string inside redacted (keys included). */
  redactDeep<T>(value: T): T {
    if (!this.pattern) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.redact(k), walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}

/** Values under secret-looking names anywhere in the given maps (nested too: http headers). */
export function secretValues(...sources: unknown[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && isSecretName(k)) found.push(x);
      else walk(x);
    }
  };
  sources.forEach(walk);
  return found;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
