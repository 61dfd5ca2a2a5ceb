// The flags `up` and `run` share, turned into orchestrator options in one place, every one
// validated before any engine call.
import type { Command } from 'commander';
import { publishMode, type UpOptions } from '../library/prepare.js';
import { withComposeOptions, type ComposeFlags } from './compose-options.js';
import { durationFlag } from './duration-flag.js';

export interface UpFlags extends ComposeFlags {
  runId?: string;
  timeout: string;
  egress?: boolean;
  publish?: boolean | string;
  keepOnFailure?: boolean;
  /** `--build` true, `--no-build` false, neither undefined. */
  build?: boolean;
  allowEngineSocket?: boolean;
  reaper: boolean;
}

export function withUpOptions(cmd: Command): Command {
  return withComposeOptions(cmd)
    .option('--run-id <id>', 'name this run (default: generated, e.g. cedar-4f2a)')
    .option('--timeout <duration>', 'how long the stack may take to become ready', '120s')
    .option('--egress', 'let the stack reach outside networks (default: internal networks only)')
    .option('--publish [mode]', 'publish declared ports: on free host ports (free, the default) or as declared (declared)')
    .option('--keep-on-failure', 'leave a stack that failed to start, for inspection')
    .option('--build', 'build images of services with a build section even when nothing they are built from changed')
    .option('--no-build', 'use existing images of services with a build section instead of building them')
    .option('--allow-engine-socket', 'let services bind-mount the engine socket (refused by default)')
    .option('--no-reaper', 'no reaper container guarding against a killed envtest (it needs the engine socket); also ENVTEST_REAPER=off');
}

/** The flags as the library's `up()` options: the CLI and the library share one meaning of each. */
export function upOptionsFrom(flags: UpFlags): UpOptions {
  return {
    files: flags.file,
    projectDirectory: flags.projectDirectory,
    projectName: flags.projectName,
    envFiles: flags.envFile,
    profiles: flags.profile,
    runId: flags.runId,
    timeout: durationFlag('--timeout', flags.timeout, { positive: true }),
    egress: flags.egress,
    publish: publishMode(flags.publish, '--publish'),
    keepOnFailure: flags.keepOnFailure,
    build: flags.build === true ? 'always' : flags.build,
    allowEngineSocket: flags.allowEngineSocket,
    reaper: flags.reaper,
  };
}
