import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function runCommand(program: Command, ctx: CommandContext): void {
  void program;
  void ctx;
}
