// Passwords reach the runner in the job file; they must never reach a message. Client libraries
// sometimes echo connection URLs or options in errors, so every message is scrubbed, not just ours.
import type { Check } from '../model/suite.js';

const SECRET_KEY = /password|token|secret/i;

export function secretsOf(check: Check): string[] {
  return Object.entries(check.options as unknown as Record<string, unknown>)
    .filter(([k, v]) => SECRET_KEY.test(k) && typeof v === 'string' && v.length > 0)
    .map(([, v]) => v as string);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}
