// Turns zod issues into problems users can act on: what was expected, what was found, and for an
// unknown key the closest known one. zod's own wording is kept only where the schema set it.
import type { z } from 'zod';
import { suggestion } from '../text/did-you-mean.js';
import type { KeyPath } from './interpolate.js';

export interface PathProblem {
  path: KeyPath;
  message: string;
  /** Locate the line of this key inside `path` rather than the value at `path`. */
  key?: string;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return String(v);
}

/** Object keys the schema accepts at `path`, for did-you-mean. Walks zod's public `def`. */
export function knownKeysAt(schema: z.ZodType, path: KeyPath): string[] {
  let node: z.ZodType | undefined = schema;
  const step = (n: z.ZodType | undefined, seg: string | number | undefined): z.ZodType | undefined => {
    for (let guard = 0; n && guard < 10; guard++) {
      const def = (n as unknown as { def: Record<string, unknown> & { type: string } }).def;
      switch (def.type) {
        case 'optional':
        case 'nullable':
        case 'default':
        case 'prefault':
          n = def.innerType as z.ZodType;
          continue;
        case 'pipe':
          n = def.in as z.ZodType;
          continue;
        case 'object':
          return seg === undefined ? n : (def.shape as Record<string, z.ZodType>)[String(seg)];
        case 'array':
          return seg === undefined ? n : (def.element as z.ZodType);
        case 'record':
          return seg === undefined ? n : (def.valueType as z.ZodType);
        default:
          return seg === undefined ? n : undefined;
      }
    }
    return undefined;
  };
  for (const seg of path) node = step(node, seg);
  const obj = step(node, undefined) as unknown as { def?: { type: string; shape?: Record<string, unknown> } } | undefined;
  return obj?.def?.type === 'object' && obj.def.shape ? Object.keys(obj.def.shape) : [];
}

function messageFor(issue: z.core.$ZodIssue): string {
  const got = 'input' in issue ? describeValue(issue.input) : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${issue.expected === 'record' || issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, got ${got}`;
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}, got ${got}`;
    case 'too_big':
      return `must be at most ${issue.maximum}, got ${got}`;
    case 'invalid_value': {
      const word = typeof issue.input === 'string' ? suggestion(issue.input, issue.values.map(String)) : '';
      return `expected one of ${issue.values.join(', ')}, got ${got}${word}`;
    }
    default: {
      const scalar = 'input' in issue && (issue.input === null || typeof issue.input !== 'object');
      return scalar && got !== undefined ? `${issue.message}, got ${got}` : issue.message;
    }
  }
}

/** Problems for one zod failure; `base` is where the validated value sits in the file. */
export function issueProblems(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, base: KeyPath): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path as (string | number)[]);
      for (const key of issue.keys) {
        out.push({ path, key, message: `unknown key "${key}"${suggestion(key, known)}` });
      }
      continue;
    }
    out.push({ path, message: messageFor(issue) });
  }
  return out;
}
