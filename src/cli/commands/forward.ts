import { isIP } from 'node:net';
import type { Command } from 'commander';
import { EnvironmentError, UsageError } from '../../errors.js';
import { openForwarder } from '../../access/forward.js';
import type { CommandContext } from '../context.js';

interface Target {
  service: string;
  port: number;
  localPort?: number;
}

export function forwardCommand(program: Command, ctx: CommandContext): void {
  program
    .command('forward')
    .description("relay local ports to SERVICE:PORT inside a run's network, through the engine API (no publishing, no egress)")
    .argument('<runId>', 'the run (see `envtest ls`)')
    .argument('<targets...>', 'SERVICE:PORT [LOCAL_PORT], repeatable')
    .option('--address <address>', 'local address to listen on', '127.0.0.1')
    .option('--image <image>', 'image of the relay helper: any with node >= 18, sh and cat (default: the sidecar image)')
    .action(async (runId: string, args: string[], flags: { address: string; image?: string }) => {
      const targets = parseTargets(args);
      checkListenAddress(flags.address);
      const runtime = ctx.runtime();
      // Ctrl-C ends the relaying: the helper is removed before the process exits.
      ctx.signals.graceful();
      await runtime.ping();
      const forwarder = await openForwarder(runtime, runId, {
        image: flags.image,
        signal: ctx.signals.signal,
        onConnectionError: (e) => ctx.err(`envtest: ${e.message}`),
      });
      try {
        for (const t of targets) {
          const p = await forwarder.forward(t.service, t.port, { address: flags.address, localPort: t.localPort }).catch((e: unknown) => {
            const code = (e as { code?: string }).code;
            if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
              throw new UsageError(`cannot listen on ${flags.address}:${t.localPort ?? 0} for ${t.service}:${t.port}: ${(e as Error).message}`);
            }
            throw e;
          });
          ctx.out(`${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port} -> ${p.service}:${p.targetPort}`);
        }
        ctx.err('envtest: forwarding until Ctrl-C');
        const interrupted = new Promise<'signal'>((resolve) => ctx.signals.signal.addEventListener('abort', () => resolve('signal'), { once: true }));
        const why = await Promise.race([interrupted, forwarder.gone.then(() => 'gone' as const)]);
        if (why === 'gone') throw new EnvironmentError(`the relay helper of run ${runId} went away (was the run torn down?)`);
      } finally {
        await forwarder.close();
      }
    });
}

/** `api:8080 18080 db:5432` → api:8080 on local 18080, db:5432 on a free port. */
export function parseTargets(args: string[]): Target[] {
  const targets: Target[] = [];
  for (const arg of args) {
    const target = /^([^:\s]+):(\d+)$/.exec(arg);
    if (target) {
      targets.push({ service: target[1]!, port: portNumber(target[2]!, arg, 1) });
      continue;
    }
    const last = targets.at(-1);
    if (/^\d+$/.test(arg) && last && last.localPort === undefined) {
      last.localPort = portNumber(arg, arg, 0);
      continue;
    }
    throw new UsageError(`"${arg}" is neither SERVICE:PORT nor a local port following one (e.g. envtest forward RUN api:8080 18080 db:5432)`);
  }
  return targets;
}

/** A service's port is 1-65535; a local port may be 0, which asks for a free one. */
function portNumber(text: string, arg: string, min: 0 | 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65535) throw new UsageError(`"${arg}": ${text} is not a port (${min}-65535)`);
  return n;
}

/**
 * Only an address literal or `localhost`: an empty value would make node listen on every
 * interface, silently exposing an internal-only port, and a host name is resolved by node with
 * errors that say nothing about the flag.
 */
export function checkListenAddress(address: string): void {
  if (address === 'localhost' || isIP(address) !== 0) return;
  throw new UsageError(`--address "${address}" is not an address of this machine to listen on: give an IP address such as 127.0.0.1 (the default), ::1 or 0.0.0.0`);
}
