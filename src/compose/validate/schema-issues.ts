// Turns zod issues into messages a compose user can act on: what was found, what is expected.
// Unions are resolved to the branch the value was evidently written for, so a map with one bad
// field reports that field instead of "invalid input".
import type { z } from 'zod';
import type { KeyPath } from '../key-path.js';

type Issue = z.core.$ZodIssue;

export interface SchemaProblem {
  path: KeyPath;
  message: string;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `the ${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<PropertyKey, unknown>)[k];
  return v;
}

export function schemaProblems(issues: readonly Issue[], root: unknown, base: KeyPath = []): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    const value = valueAt(root, issue.path);
    switch (issue.code) {
      case 'invalid_union': {
        // A branch whose every issue lies below the root matched the value's kind: report its issues.
        const matched = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
        if (matched) {
          out.push(...schemaProblems(matched, value, path));
        } else {
          const expected = [...new Set(issue.errors.flatMap((b) => b.map(expectation)).filter(Boolean))];
          out.push({ path, message: `expected ${orList(expected)}, got ${describeValue(value)}` });
        }
        break;
      }
      case 'invalid_type':
        out.push({ path, message: `expected ${expectation(issue)}, got ${describeValue(value)}` });
        break;
      case 'invalid_value':
      case 'invalid_format':
      case 'custom':
        out.push({ path, message: `${describeValue(value)} is not valid: ${customOr(issue.message)}` });
        break;
      case 'invalid_key': {
        const key = issue.path[issue.path.length - 1];
        out.push({ path, message: `invalid name ${JSON.stringify(key)}: ${issue.issues.map((i) => customOr(i.message)).join('; ')}` });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

function expectation(issue: Issue): string {
  if (issue.code === 'invalid_type') return ARTICLE[issue.expected] ?? issue.expected;
  if (issue.code === 'invalid_value' || issue.code === 'invalid_format') return customOr(issue.message).replace(/^expected /, '');
  return '';
}

// Messages we wrote start with "expected" or name the rule; zod's defaults are replaced by that text.
function customOr(message: string): string {
  return message.replace(/^Invalid (option|input|string): /, '');
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'another value';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
