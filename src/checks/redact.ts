// Passwords reach the runner in its job; they must never reach a message. Client libraries
// sometimes echo connection URLs or options in errors, so every message is scrubbed, not just ours.
import type { Check } from '../model/suite.js';
import { Redactor, secretValues } from '../text/redact.js';

export function secretsOf(check: Check): string[] {
  return secretValues(check.options);
}

export function redact(text: string, secrets: readonly string[]): string {
  return new Redactor(secrets).redact(text);
}
