import type { Command } from 'commander';
import { loadProject } from '../compose/index.js';
import type { LoadedProject } from '../model/project.js';

export interface ComposeFlags {
  file?: string[];
  projectDirectory?: string;
  projectName?: string;
  envFile?: string[];
  profile?: string[];
}

/** commander's accumulator for repeatable flags. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The flags `docker compose` users already know, on every command that reads a project. */
export function withComposeOptions(cmd: Command): Command {
  return cmd
    .option('-f, --file <file>', 'compose file (repeatable; later files override earlier ones)', collect)
    .option('--project-directory <dir>', 'project directory (default: the first file\'s directory)')
    .option('-p, --project-name <name>', 'project name')
    .option('--env-file <file>', 'env file (repeatable; default: .env in the project directory)', collect)
    .option('--profile <name>', 'activate a profile (repeatable; also COMPOSE_PROFILES)', collect);
}

export function loadFromFlags(flags: ComposeFlags): Promise<LoadedProject> {
  return loadProject({
    files: flags.file,
    projectDirectory: flags.projectDirectory,
    projectName: flags.projectName,
    envFiles: flags.envFile,
    profiles: flags.profile,
  });
}
