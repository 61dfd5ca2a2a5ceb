// Walks a compose document beside two trees at once: the supported shapes (zod schemas in
// src/model/compose-schema.ts) and the keys the Compose spec defines (generated). A key missing
// from the first but present in the second is a Compose feature envtest lacks and is refused by
// name; a key missing from both is a typo and gets a did-you-mean.
import { z } from 'zod';
import { didYouMean } from '../../text/did-you-mean.js';
import { isPlainObject, type KeyPath } from '../key-path.js';
import { refusalOf } from './refusals.js';
import type { SpecNode } from './spec-keys.generated.js';

export interface KeyProblem {
  path: KeyPath;
  message: string;
}

type Schema = z.core.$ZodType;

function unwrap(s: Schema): Schema {
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as Schema;
    else if (s instanceof z.ZodPipe) s = s.out as Schema;
    else return s;
  }
}

/** The branches of a union (or the schema itself) that could describe a value of this kind. */
function candidates(s: Schema, value: unknown): Schema[] {
  const u = unwrap(s);
  if (u instanceof z.ZodUnion) return (u.options as Schema[]).flatMap((o) => candidates(o, value));
  if (Array.isArray(value)) return u instanceof z.ZodArray ? [u] : [];
  if (isPlainObject(value)) return u instanceof z.ZodObject || u instanceof z.ZodRecord ? [u] : [];
  return [];
}

export function checkKeys(value: unknown, schema: Schema, spec: SpecNode, report: (p: KeyProblem) => void, path: KeyPath = []): void {
  const [s] = candidates(schema, value);
  if (!s) return; // a type mismatch: zod reports it
  if (s instanceof z.ZodArray) {
    (value as unknown[]).forEach((item, i) => checkKeys(item, s.element as Schema, spec.items ?? {}, report, [...path, i]));
    return;
  }
  const obj = value as Record<string, unknown>;
  if (s instanceof z.ZodRecord) {
    for (const [k, v] of Object.entries(obj)) checkKeys(v, s.valueType as Schema, spec.entries ?? {}, report, [...path, k]);
    return;
  }
  const shape = (s as z.ZodObject).shape as Record<string, Schema>;
  for (const [k, v] of Object.entries(obj)) {
    const here = [...path, k];
    if (k in shape) checkKeys(v, shape[k]!, spec.keys?.[k] ?? {}, report, here);
    else if (k.startsWith('x-') && spec.ext) continue;
    else if (spec.keys && k in spec.keys) report({ path: here, message: refusalOf(here) });
    else if (spec.open || (spec.entries && !spec.keys)) continue;
    else {
      const known = Object.keys(spec.keys ?? shape);
      const guess = didYouMean(k, known);
      report({
        path: here,
        message: `unknown key "${k}"${guess ? `; did you mean "${guess}"?` : k.startsWith('x-') ? '; extension fields (x-) are not allowed here' : ''}`,
      });
    }
  }
}
