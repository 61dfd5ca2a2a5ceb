import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../model/results.js';
import type { ResourceUsage } from '../runtime/backend.js';
import { writeHtmlReport } from './html-report.js';
import { junitXml } from './junit.js';
import { metricsDocument } from './metrics.js';
import { openMetrics } from './openmetrics.js';
import type { Redactor } from '../text/redact.js';
import type { RunReport } from './report.js';

/** Writes report.json, junit.xml, metrics.json, metrics.prom and report.html into the run's artifacts folder, redacted. */
export async function writeArtifacts(dir: string, report: RunReport, results: CheckResult[], resources: Record<string, ResourceUsage[]>, redactor: Redactor): Promise<void> {
  await mkdir(dir, { recursive: true });
  const safe = redactor.redactDeep(report);
  const metrics = redactor.redactDeep(metricsDocument(safe, results, resources));
  await Promise.all([
    writeFile(join(dir, 'report.json'), `${JSON.stringify(safe, null, 2)}\n`),
    writeFile(join(dir, 'junit.xml'), junitXml(safe)),
    writeFile(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`),
    writeFile(join(dir, 'metrics.prom'), openMetrics(safe, metrics)),
  ]);
  // Transactions were redacted as they were written; the rest is `safe` already.
  await writeHtmlReport(dir, { report: safe, metrics });
}
