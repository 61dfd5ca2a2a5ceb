// Body expectations on the response text, and the JSON subset expectation on its parsed form.
import type { BodyExpect } from '../../model/suite.js';
import { subsetMismatch } from './subset.js';
import { show, snippet } from './text.js';

export function bodyMismatch(expected: BodyExpect | undefined, body: string): string | undefined {
  if (!expected) return undefined;
  if ('contains' in expected) {
    return body.includes(expected.contains) ? undefined : `expected body to contain ${show(expected.contains)}, got ${snippet(body)}`;
  }
  if ('equals' in expected) {
    return body === expected.equals ? undefined : `expected body ${show(expected.equals)}, got ${snippet(body)}`;
  }
  return new RegExp(expected.matches).test(body) ? undefined : `expected body matching /${expected.matches}/, got ${snippet(body)}`;
}

export function jsonMismatch(expected: unknown, body: string): string | undefined {
  if (expected === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `expected a JSON body, got ${snippet(body)}`;
  }
  const m = subsetMismatch(expected, parsed);
  return m && `json ${m}`;
}
