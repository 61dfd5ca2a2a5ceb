// Writes reproduce.json next to a run's other artifacts (see reproduce/record.ts): enough to bring
// the same environment and checks back on another machine, with secrets as names only.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeProject } from '../../model/project.js';
import type { Suite } from '../../model/suite.js';
import { buildRecord, RECORD_FILE, type RecordedImage, type RunRecord } from '../../reproduce/record.js';
import type { Backend } from '../../runtime/backend.js';
import type { Redactor } from '../../text/redact.js';
import { envtestVersion } from '../../version.js';
import { imageFor } from '../images/images.js';

export interface RecordInput {
  runtime: Backend;
  runId: string;
  project: ComposeProject;
  suites: Suite[];
  environment: Record<string, string | undefined>;
  commandLine: string[];
  options: RunRecord['options'];
  redactor: Redactor;
}

export async function writeRunRecord(dir: string, input: RecordInput): Promise<void> {
  const images: Record<string, RecordedImage> = {};
  await Promise.all(
    Object.entries(input.project.services).map(async ([service, config]) => {
      const ref = imageFor(input.project, service, config);
      const found = await input.runtime.inspectImage(ref).catch(() => undefined);
      images[service] = { ref, ...(found ? { id: found.id } : {}), repoDigests: found?.repoDigests ?? [] };
    }),
  );
  const record = buildRecord({
    envtest: { version: envtestVersion(), commandLine: input.commandLine },
    runId: input.runId,
    project: input.project,
    suites: input.suites,
    images,
    options: input.options,
    environment: input.environment,
  });
  // Names replaced every secret already; the redactor is the same last line of defence as for every artifact.
  // Written while the teardown runs, possibly before any other artifact made the folder.
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, RECORD_FILE), `${JSON.stringify(input.redactor.redactDeep(record), null, 2)}\n`);
}
