// The JSON Schema editors use for suite files (yaml-language-server: `# yaml-language-server: $schema=...`).
// Generated from the zod schema so the two cannot drift; a unit test fails when the committed file is stale.
import { z } from 'zod';
import { suiteFileSchema } from './schema.js';

export function suiteJsonSchema(): Record<string, unknown> {
  // draft-07: the draft yaml-language-server and most editors implement fully.
  // io: input, because the file describes what users write, before defaults are applied.
  const schema = z.toJSONSchema(suiteFileSchema, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://envtest.dev/schema/suite.schema.json', title: 'envtest check suite' };
}

/** The committed file's exact text: stable key order, two-space indent, trailing newline. */
export function suiteJsonSchemaText(): string {
  return `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`;
}
