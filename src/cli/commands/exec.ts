import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { execInService } from '../../access/exec.js';
import type { CommandContext } from '../context.js';
import { runInTerminal, wantsTty } from '../terminal-session.js';

const USAGE = `Usage: envtest exec [options] RUN_ID SERVICE [--] COMMAND [ARGS...]

Run a command in a service of a run, as \`docker compose exec\` does: a TTY when stdin and stdout are
terminals, and envtest exits with the command's exit code. Options go before SERVICE; everything
after it is the command.

Options:
  -e, --env KEY[=VALUE]   set an environment variable (repeatable; KEY alone takes its value from here)
  -u, --user USER         run as this user (name or uid[:gid])
  -w, --workdir DIR       run in this directory
  -T, --no-TTY            no pseudo-terminal even at a terminal`;

export interface ExecArgs {
  runId: string;
  service: string;
  command: string[];
  env: Record<string, string>;
  user?: string;
  workdir?: string;
  noTty: boolean;
}

export function execCommand(program: Command, ctx: CommandContext): void {
  program
    .command('exec')
    .description('run a command in a service of a running environment (like docker compose exec)')
    .usage('[options] RUN_ID SERVICE [--] COMMAND [ARGS...]')
    // Everything after SERVICE belongs to the command, its own options included: parsed here, not by commander.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (_args: string[], _flags: unknown, cmd: Command) => {
      const raw = rawArgsAfter(cmd);
      if (raw[0] === '--help' || raw[0] === '-h') return ctx.out(USAGE);
      const args = parseExecArgs(raw, process.env);
      const runtime = ctx.runtime();
      await runtime.ping();
      const tty = wantsTty(args.noTty);
      const session = await execInService(runtime, args.runId, args.service, { command: args.command, env: args.env, user: args.user, workingDir: args.workdir, tty });
      process.exitCode = await runInTerminal(session, tty);
    });
}

/** The words after the subcommand's name, exactly as typed (commander would drop a `--`). */
export function rawArgsAfter(cmd: Command): string[] {
  const raw = (cmd.parent as unknown as { rawArgs: string[] }).rawArgs.slice(2);
  return raw.slice(raw.indexOf(cmd.name()) + 1);
}

export function parseExecArgs(raw: string[], env: NodeJS.ProcessEnv): ExecArgs {
  const positional: string[] = [];
  const out: ExecArgs = { runId: '', service: '', command: [], env: {}, noTty: false };
  let i = 0;
  const value = (flag: string) => {
    const v = raw[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  for (; i < raw.length && positional.length < 2; i++) {
    const arg = raw[i]!;
    const inline = /^(--[a-zA-Z-]+)=(.*)$/s.exec(arg);
    const [flag, given] = inline ? [inline[1]!, inline[2]!] : [arg, undefined];
    const take = () => given ?? value(flag);
    if (flag === '-e' || flag === '--env') {
      const kv = take();
      const eq = kv.indexOf('=');
      if (eq === 0) throw new UsageError(`-e "${kv}": the variable has no name before "="`);
      if (eq > 0) out.env[kv.slice(0, eq)] = kv.slice(eq + 1);
      else if (env[kv] !== undefined) out.env[kv] = env[kv]!;
    } else if (flag === '-u' || flag === '--user') out.user = take();
    else if (flag === '-w' || flag === '--workdir') out.workdir = take();
    else if (flag === '-T' || flag === '--no-TTY' || flag === '--no-tty') out.noTty = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} before SERVICE\n\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length < 2) throw new UsageError(`name the run and the service\n\n${USAGE}`);
  [out.runId, out.service] = positional as [string, string];
  out.command = raw.slice(i);
  if (out.command[0] === '--') out.command.shift();
  if (out.command.length === 0) throw new UsageError(`name the command to run in ${out.service}\n\n${USAGE}`);
  return out;
}
