// Conformance: every project of the awesome-compose corpus is either loaded or refused with a
// ValidationError that names what is unsupported, and at least 90% load. CI places shared/ beside
// the clone, so the corpus is found relative to the repository root.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/compose/index.js';
import { ValidationError } from '../../src/errors.js';

const corpus = resolve(import.meta.dirname, '../../../shared/compose-corpus/awesome-compose');
const present = existsSync(corpus);
const projects = present ? readdirSync(corpus).filter((d) => statSync(resolve(corpus, d)).isDirectory()).sort() : [];

describe.skipIf(!present)(`compose corpus (${present ? corpus : `skipped: ${corpus} is absent; clone shared/ beside the repository`})`, () => {
  it('accepts at least 90% and refuses the rest by name', async () => {
    const refused: string[] = [];
    for (const name of projects) {
      try {
        const loaded = await loadProject({ cwd: resolve(corpus, name), env: {} });
        expect(Object.keys(loaded.project.services).length, name).toBeGreaterThan(0);
      } catch (e) {
        // Anything but a ValidationError is a loader bug.
        expect(e, name).toBeInstanceOf(ValidationError);
        const problems = (e as ValidationError).problems;
        for (const p of problems) expect(p.path, `${name}: ${p.message}`).toBeTruthy();
        refused.push(`${name}: ${(e as Error).message}`);
      }
    }
    const accepted = projects.length - refused.length;
    console.log(`compose corpus: ${accepted}/${projects.length} accepted${refused.length ? `; refused:\n  ${refused.join('\n  ')}` : ''}`);
    expect(projects.length).toBeGreaterThan(0);
    expect(accepted / projects.length).toBeGreaterThanOrEqual(0.9);
  });
});
