import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suiteJsonSchema, suiteJsonSchemaText } from '../../../src/suite/json-schema.js';

describe('suite JSON Schema', () => {
  it('is up to date with the zod schema (run: node scripts/gen-suite-schema.mjs)', async () => {
    const committed = await readFile(join(import.meta.dirname, '../../../schema/suite.schema.json'), 'utf8');
    expect(committed).toBe(suiteJsonSchemaText());
  });

  it('offers each protocol as its own check shape and forbids unknown keys', () => {
    const schema = suiteJsonSchema() as {
      additionalProperties: boolean;
      properties: { checks: { items: { anyOf: { properties: Record<string, unknown>; additionalProperties: boolean }[] } } };
    };
    expect(schema.additionalProperties).toBe(false);
    const shapes = schema.properties.checks.items.anyOf;
    expect(shapes).toHaveLength(9);
    expect(shapes.every((s) => s.additionalProperties === false)).toBe(true);
    expect(Object.keys(shapes[1]!.properties)).toContain('http');
  });
});
