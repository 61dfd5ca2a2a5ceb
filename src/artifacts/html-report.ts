// report.html from a run's artifacts folder: written at the end of every run, and again by
// `envtest report DIR` from the same files (report.json, metrics.json, transactions.ndjson).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { renderHtml } from './html/page.js';
import type { MetricsDocument } from './metrics.js';
import type { RunReport } from './report.js';
import { readTransactions } from './transactions-file.js';

export const HTML_FILE = 'report.html';

export interface RunArtifacts {
  report: RunReport;
  metrics?: MetricsDocument;
}

/** report.json (required) and metrics.json (optional) of a run's artifacts folder. */
export async function readRunArtifacts(dir: string): Promise<RunArtifacts> {
  const file = join(dir, 'report.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${dir} is not a run's artifacts folder: ${file} is missing (expected <artifacts>/<run-id>/, e.g. .envtest/runs/cedar-4f2a)`);
  }
  let report: RunReport;
  try {
    report = JSON.parse(text) as RunReport;
  } catch {
    throw new UsageError(`${file} is not valid JSON`);
  }
  if (typeof report?.runId !== 'string' || !Array.isArray(report.checks)) throw new UsageError(`${file} is not an envtest report (no runId or checks)`);
  const metrics = await readFile(join(dir, 'metrics.json'), 'utf8').then(
    (m) => JSON.parse(m) as MetricsDocument,
    () => undefined,
  );
  return { report, ...(metrics ? { metrics } : {}) };
}

/** Renders report.html into the folder from what is on disk there; returns its path. */
export async function writeHtmlReport(dir: string, given?: RunArtifacts): Promise<string> {
  const { report, metrics } = given ?? (await readRunArtifacts(dir));
  const path = join(dir, HTML_FILE);
  await writeFile(path, renderHtml({ report, metrics, transactions: await readTransactions(dir) }));
  return path;
}
