// The CI templates in ci-templates/ are tested by what they say (parsed with `yaml`: artifacts kept
// always, JUnit published, the run command) and by running the shell commands of their envtest steps
// for real, in a temp dir laid out as a CI checkout would be (the bundled example as the project:
// compose.yaml and checks/), against this machine's engine, with `envtest` on PATH as a shim to
// bin/envtest.js.
//
// Not run here, and why:
// - install steps (actions/setup-node, the `Install envtest` step, GitLab's before_script): they
//   clone and install envtest, which the shim stands in for; the host's node stands in for setup-node.
// - actions (`uses:`): no Actions runner here. What upload-artifact and action-junit-report would
//   pick up is checked instead: their path globs must match the files the run wrote.
// - GitLab's DOCKER_HOST / DOCKER_TLS_CERTDIR: they point at the job's dind service, which does not
//   exist here; the local engine stands in for it. Every other variable is passed as written.
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/artifacts/report.js';
import { leftovers, repoRoot } from '../support/cli.js';

const RUN_COMMAND = /^envtest run -f compose\.yaml --checks checks\/ --artifacts envtest-artifacts --run-id "[^"]+"$/;
const ARTIFACTS = 'envtest-artifacts';

type Env = Record<string, string>;
interface GithubStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Env;
  with?: Record<string, unknown>;
}
interface GithubWorkflow {
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; env?: Env; steps: GithubStep[] }>;
}
interface GitlabJob {
  image: string;
  services: { name: string; alias?: string; command?: string[] }[];
  variables: Env;
  before_script: string[];
  script: string[];
  after_script: string[];
  artifacts: { when: string; paths: string[]; reports: { junit: string | string[] } };
}

const readYaml = <T>(file: string): T => parse(readFileSync(join(repoRoot, 'ci-templates', file), 'utf8')) as T;
const github = readYaml<GithubWorkflow>('github-actions.yml');
const githubJob = github.jobs.envtest!;
const gitlabJob = readYaml<Record<string, GitlabJob>>('gitlab-ci.yml').envtest!;

/** A CI checkout of a project: the bundled example's compose.yaml, checks/ and build contexts. */
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envtest-ci-'));
  tempDirs.push(dir);
  cpSync(join(repoRoot, 'compose'), dir, { recursive: true });
  return dir;
}

/** `envtest` on PATH as the install step would leave it, running this checkout's build. */
let pathWithEnvtest: string;
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/envtest.cjs'))) await execa('node', ['scripts/build.mjs'], { cwd: repoRoot });
  const bin = mkdtempSync(join(tmpdir(), 'envtest-ci-bin-'));
  tempDirs.push(bin);
  writeFileSync(join(bin, 'envtest'), `#!/bin/sh\nexec node -- ${JSON.stringify(join(repoRoot, 'bin/envtest.js'))} "$@"\n`);
  chmodSync(join(bin, 'envtest'), 0o755);
  pathWithEnvtest = `${bin}:${process.env.PATH}`;
});

/** Files under `root` whose relative path matches a CI glob (`*` within a segment, `**\/` any depth). */
function globFiles(root: string, pattern: string): string[] {
  const source = pattern
    .replace(/\/$/, '/**')
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  return walk(root).filter((f) => re.test(relative(root, f)));
}

/** What the run left: one folder named by the run id, a passed report and a JUnit file. */
function expectPassedRun(ws: string, runId: string): void {
  expect(readdirSync(join(ws, ARTIFACTS))).toEqual([runId]);
  const report = JSON.parse(readFileSync(join(ws, ARTIFACTS, runId, 'report.json'), 'utf8')) as RunReport;
  expect(report.runId).toBe(runId);
  expect(report.status).toBe('passed');
  expect(report.summary.failed).toBe(0);
  const junit = readFileSync(join(ws, ARTIFACTS, runId, 'junit.xml'), 'utf8');
  expect(junit.match(/<testcase /g)?.length).toBe(report.summary.total);
  expect(junit).not.toContain('<failure');
}

async function expectNothingLeft(runId: string): Promise<void> {
  expect((await execa('docker', ['ps', '-aq', '--filter', `label=envtest.run=${runId}`])).stdout).toBe('');
  expect(await leftovers(runId)).toEqual([]);
}

interface Ran {
  label: string;
  command: string;
  exitCode: number;
  output: string;
}

async function bash(label: string, command: string, flags: string[], cwd: string, env: Env): Promise<Ran> {
  const r = await execa('bash', [...flags, '-c', command], { cwd, env: { ...env, PATH: pathWithEnvtest }, reject: false, all: true });
  return { label, command, exitCode: r.exitCode ?? -1, output: r.all ?? '' };
}

const describeRuns = (ran: Ran[]) => ran.map((r) => `--- ${r.label} (exit ${r.exitCode}): ${r.command}\n${r.output}`).join('\n');

describe('ci-templates/github-actions.yml', () => {
  const steps = githubJob.steps;
  const usesStep = (action: string) => steps.find((s) => s.uses?.split('@')[0] === action);

  it('sets up Node 20, installs envtest, runs it, keeps artifacts and JUnit always, then sweeps stale runs', () => {
    expect(githubJob['runs-on']).toMatch(/^ubuntu-/);
    expect(usesStep('actions/setup-node')?.with?.['node-version']).toBe(20);
    const install = steps.find((s) => s.id === 'install-envtest')!;
    expect(install.run).toContain('npm ci');
    expect(install.run).toContain('npm install -g envtest'); // the published route, documented
    expect(install.run).toContain('npm install -g "./$(npm pack --silent)"'); // the from-source route

    const run = steps.filter((s) => s.run?.startsWith('envtest run'));
    expect(run).toHaveLength(1);
    expect(run[0]!.run!.trim()).toMatch(RUN_COMMAND);
    expect(run[0]!.run).toContain('--run-id "$ENVTEST_RUN_ID"');
    expect(githubJob.env?.ENVTEST_RUN_ID).toBe('gh-${{ github.run_id }}-${{ github.run_attempt }}');

    const upload = usesStep('actions/upload-artifact')!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.path).toBe(`${ARTIFACTS}/`);
    const junit = usesStep('mikepenz/action-junit-report')!;
    expect(junit.if).toBe('always()');
    expect(junit.with?.report_paths).toBe(`${ARTIFACTS}/**/junit.xml`);
    expect(github.permissions?.checks).toBe('write');

    const last = steps.at(-1)!;
    expect(last.run?.trim()).toBe('envtest down --all --stale --older-than 1h');
    expect(last.if).toBe('always()');
    // Every action is pinned to a major version.
    for (const s of steps.filter((s) => s.uses)) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
  });

  it('runs its steps for real: the example passes, artifacts are where the actions look, nothing is left', async () => {
    const ws = workspace();
    const context: Record<string, string> = { 'github.run_id': `${process.pid}${Date.now() % 1_000_000}`, 'github.run_attempt': '1' };
    // The few expressions the executed steps use; anything else would need a real runner.
    const evaluate = (text: string) =>
      text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
        if (!(name in context)) throw new Error(`expression ${whole} is not supported by this test`);
        return context[name]!;
      });
    const jobEnv = Object.fromEntries(Object.entries(githubJob.env ?? {}).map(([k, v]) => [k, evaluate(String(v))]));
    const runId = jobEnv.ENVTEST_RUN_ID!;

    const ran: Ran[] = [];
    const skipped: string[] = [];
    let failed = false;
    for (const step of steps) {
      const label = step.name ?? step.id ?? step.uses ?? 'step';
      if (failed && step.if !== 'always()') continue;
      if (step.uses) {
        skipped.push(`${label}: action, not run here`);
        continue;
      }
      if (step.id === 'install-envtest') {
        skipped.push(`${label}: CI-only install, the envtest shim stands in`);
        continue;
      }
      expect(step.run, label).not.toMatch(/\$\{\{/); // commands are plain shell: values come through env
      const env = { ...process.env, ...jobEnv, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))])) } as Env;
      // GitHub's `bash` shell for run steps: bash --noprofile --norc -eo pipefail {0}
      const r = await bash(label, step.run!, ['--noprofile', '--norc', '-eo', 'pipefail'], ws, env);
      ran.push(r);
      if (r.exitCode !== 0) failed = true;
    }

    expect(ran.map((r) => r.label)).toEqual(['Docker engine', 'envtest run', 'envtest down']);
    for (const r of ran) expect(r.exitCode, describeRuns(ran)).toBe(0);
    expect(skipped).toEqual([
      'actions/checkout@v4: action, not run here',
      'actions/setup-node@v4: action, not run here',
      'Install envtest: CI-only install, the envtest shim stands in',
      'Upload envtest artifacts: action, not run here',
      'Publish JUnit report: action, not run here',
    ]);
    expectPassedRun(ws, runId);
    // What the two always() actions would pick up.
    expect(globFiles(ws, String(usesStep('actions/upload-artifact')!.with!.path))).toContain(join(ws, ARTIFACTS, runId, 'report.json'));
    expect(globFiles(ws, String(usesStep('mikepenz/action-junit-report')!.with!.report_paths))).toEqual([join(ws, ARTIFACTS, runId, 'junit.xml')]);
    await expectNothingLeft(runId);
  }, 300_000);
});

describe('ci-templates/gitlab-ci.yml', () => {
  it('uses dind without the reaper, runs envtest, keeps artifacts and JUnit always, sweeps stale runs after', () => {
    expect(gitlabJob.image).toMatch(/^node:20/);
    const dind = gitlabJob.services.find((s) => s.name.startsWith('docker:') && s.name.endsWith('dind'));
    expect(dind?.alias).toBe('docker');
    expect(gitlabJob.variables.DOCKER_HOST).toBe('tcp://docker:2375');
    expect(gitlabJob.variables.DOCKER_TLS_CERTDIR).toBe('');
    expect(gitlabJob.variables.ENVTEST_REAPER).toBe('off');

    const install = gitlabJob.before_script.join('\n');
    expect(install).toContain('npm ci');
    expect(install).toContain('npm install -g "./$(npm pack --silent)"');
    expect(readFileSync(join(repoRoot, 'ci-templates/gitlab-ci.yml'), 'utf8')).toContain('- npm install -g envtest'); // the published route, in a comment

    const run = gitlabJob.script.filter((line) => line.startsWith('envtest run'));
    expect(run).toHaveLength(1);
    expect(run[0]).toMatch(RUN_COMMAND);
    expect(run[0]).toContain('--run-id "gl-$CI_JOB_ID"');
    expect(gitlabJob.after_script).toContain('envtest down --all --stale --older-than 1h');

    expect(gitlabJob.artifacts.when).toBe('always');
    expect(gitlabJob.artifacts.paths).toEqual([`${ARTIFACTS}/`]);
    expect(gitlabJob.artifacts.reports.junit).toBe(`${ARTIFACTS}/*/junit.xml`);
  });

  it('runs script and after_script for real without the reaper: the example passes, nothing is left', async () => {
    const ws = workspace();
    const jobId = `${process.pid}${Date.now() % 1_000_000}`;
    const runId = `gl-${jobId}`;
    // The job's variables as written, except the two that point at the (absent) dind service.
    const { DOCKER_HOST: _host, DOCKER_TLS_CERTDIR: _certs, ...variables } = gitlabJob.variables;
    const env = { ...process.env, ...variables, CI_JOB_ID: jobId, CI_PROJECT_DIR: ws } as Env;
    delete env.DOCKER_HOST;

    // The runner runs script in one shell with errexit and pipefail, and after_script in a new one
    // whatever script did. before_script only installs envtest: the shim stands in for it.
    const script = await bash('script', gitlabJob.script.join('\n'), ['-eo', 'pipefail'], ws, env);
    const after = await bash('after_script', gitlabJob.after_script.join('\n'), ['-eo', 'pipefail'], ws, env);
    const ran = [script, after];
    for (const r of ran) expect(r.exitCode, describeRuns(ran)).toBe(0);
    expect(script.output).toContain(`envtest: run ${runId}`);

    expectPassedRun(ws, runId);
    expect(globFiles(ws, gitlabJob.artifacts.paths[0]!)).toContain(join(ws, ARTIFACTS, runId, 'report.json'));
    expect(globFiles(ws, String(gitlabJob.artifacts.reports.junit))).toEqual([join(ws, ARTIFACTS, runId, 'junit.xml')]);
    await expectNothingLeft(runId);
  }, 300_000);
});
