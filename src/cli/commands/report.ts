// `envtest report DIR`: report.html again from a run's artifacts, or the summary as text.
import type { Command } from 'commander';
import { readRunArtifacts, writeHtmlReport } from '../../artifacts/html-report.js';
import { runSummary } from '../check-reporter.js';
import type { CommandContext } from '../context.js';
import { formatOption } from '../format-option.js';

export function reportCommand(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description("render report.html again from a run's artifacts folder, or print its summary")
    .argument('<dir>', "the run's artifacts folder, e.g. .envtest/runs/<run-id>")
    .addOption(formatOption(['html', 'text'], 'html (write report.html, print its path) or text (print the summary)', 'html'))
    .action(async (dir: string, flags: { format: string }) => {
      const artifacts = await readRunArtifacts(dir);
      if (flags.format === 'text') return ctx.out(runSummary(artifacts.report, dir));
      ctx.out(await writeHtmlReport(dir, artifacts));
    });
}
