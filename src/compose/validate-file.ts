// Checks one compose file (after interpolation) against what envtest supports: every unknown or
// unsupported key and every type error, each with its file, key path and line.
import type { Problem } from '../errors.js';
import { composeFileSchema } from '../model/compose-schema.js';
import { checkKeys } from './keys-check.js';
import { dotted, lineOf, type KeyPath } from './key-path.js';
import { schemaProblems } from './schema-issues.js';
import { COMPOSE_SPEC_KEYS } from './spec-keys.generated.js';
import type { SourceDoc } from './yaml-source.js';

export function problemAt(doc: Pick<SourceDoc, 'display' | 'lines'>, path: KeyPath, message: string, severity?: 'warning'): Problem {
  const line = lineOf(doc.lines, path);
  return {
    file: doc.display,
    ...(path.length ? { path: dotted(path) } : {}),
    ...(line !== undefined ? { line } : {}),
    message,
    ...(severity ? { severity } : {}),
  };
}

export function validateFile(doc: SourceDoc): { problems: Problem[]; data?: Record<string, unknown> } {
  const problems: Problem[] = [];
  checkKeys(doc.data, composeFileSchema, COMPOSE_SPEC_KEYS, (p) => problems.push(problemAt(doc, p.path, p.message)));
  const parsed = composeFileSchema.safeParse(doc.data, { reportInput: true });
  if (!parsed.success) {
    for (const p of schemaProblems(parsed.error.issues, doc.data)) problems.push(problemAt(doc, p.path, p.message));
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return parsed.success && problems.length === 0 ? { problems, data: parsed.data as Record<string, unknown> } : { problems };
}
