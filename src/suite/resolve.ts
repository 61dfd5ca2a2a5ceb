// From a validated authored check to the runner's form: defaults applied, durations in ms,
// shorthand expanded (a single status becomes a list, header names lower-cased).
import { parseDuration } from '../model/duration.js';
import { SNAPSHOT_PROTOCOLS, type Check, type LatencyBounds, type ProtocolName, type RetryPolicy, type SnapshotSettings } from '../model/suite.js';
import type { AuthoredCommon, AuthoredDefaults, AuthoredDuration, AuthoredOptions, AuthoredSnapshot } from './schema.js';

export const BUILTIN_DEFAULTS = { timeoutMs: 2000, retry: { forMs: 15_000, everyMs: 200 } } as const;

const ms = (d: AuthoredDuration): number => parseDuration(d)!;

export interface ResolvedDefaults {
  timeoutMs: number;
  retry: RetryPolicy;
  /** HTTP checks send a W3C traceparent unless the suite or the check turns it off. */
  traceparent: boolean;
  snapshot?: AuthoredSnapshot;
}

export function resolveDefaults(d: AuthoredDefaults | undefined): ResolvedDefaults {
  return {
    timeoutMs: d?.timeout !== undefined ? ms(d.timeout) : BUILTIN_DEFAULTS.timeoutMs,
    retry: {
      forMs: d?.retry?.for !== undefined ? ms(d.retry.for) : BUILTIN_DEFAULTS.retry.forMs,
      everyMs: d?.retry?.every !== undefined ? ms(d.retry.every) : BUILTIN_DEFAULTS.retry.everyMs,
    },
    traceparent: d?.traceparent ?? true,
    snapshot: d?.snapshot,
  };
}

export function splitTarget(target: string): { host: string; port: number } {
  const i = target.lastIndexOf(':');
  const host = target.slice(0, i);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(target.slice(i + 1)) };
}

type Expect = Record<string, unknown> & { open?: boolean };

function resolveOptions(protocol: ProtocolName, raw: unknown, expect: Expect, defaults: ResolvedDefaults): { options: unknown; expect: unknown } {
  const open = expect.open !== false;
  switch (protocol) {
    case 'tcp': {
      const o = raw as AuthoredOptions<'tcp'>;
      return { options: { send: o.send }, expect: { open, receive: expect.receive } };
    }
    case 'http': {
      const o = raw as AuthoredOptions<'http'>;
      const status = expect.status === undefined ? undefined : ([] as number[]).concat(expect.status as number | number[]);
      const headers = expect.headers as Record<string, unknown> | undefined;
      return {
        options: {
          method: (o.method ?? 'GET').toUpperCase(),
          path: o.path ?? '/',
          headers: o.headers ?? {},
          body: o.body,
          tls: o.tls ?? false,
          verify: o.verify ?? false,
          traceparent: o.traceparent ?? defaults.traceparent,
        },
        expect: {
          open,
          status,
          headers: headers && Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
          body: expect.body,
          json: expect.json,
        },
      };
    }
    case 'grpc': {
      const o = raw as AuthoredOptions<'grpc'>;
      return {
        options: { health: { service: o.health?.service ?? '' }, tls: o.tls ?? false, verify: o.verify ?? false },
        expect: { open, status: expect.status ?? 'SERVING' },
      };
    }
    case 'postgres':
    case 'mysql': {
      const o = raw as AuthoredOptions<'postgres'>;
      return {
        options: {
          user: o.user ?? (protocol === 'postgres' ? 'postgres' : 'root'),
          password: o.password,
          database: o.database,
          query: o.query ?? 'SELECT 1',
        },
        expect: { open, rows: expect.rows, rowCount: expect.rowCount },
      };
    }
    case 'redis': {
      const o = raw as AuthoredOptions<'redis'>;
      return {
        options: { command: (o.command ?? ['PING']).map(String), user: o.user, password: o.password, db: o.db ?? 0 },
        expect: { open, reply: expect.reply },
      };
    }
    case 'amqp': {
      const o = raw as AuthoredOptions<'amqp'>;
      return {
        options: { user: o.user ?? 'guest', password: o.password ?? 'guest', vhost: o.vhost ?? '/', queue: o.queue, payload: o.payload },
        expect: { open },
      };
    }
    case 'nats':
    case 'mqtt':
      return { options: { ...(raw as object) }, expect: { open } };
  }
}

const settingsOf = (s: AuthoredSnapshot | undefined) => (typeof s === 'object' ? s : {});

/**
 * The check's own `snapshot` wins over the suite's (`false` turns it off); each of `values` falls
 * back to the suite default on its own, and the ignore lists add up. A suite default never applies
 * where there is no answer to record (tcp, open: false): the validator rejects that only when
 * written on the check itself.
 */
export function resolveSnapshot(
  own: AuthoredSnapshot | undefined,
  suite: AuthoredSnapshot | undefined,
  protocol: ProtocolName,
  open: boolean,
): SnapshotSettings | undefined {
  const on = own ?? suite;
  if (on === undefined || on === false || !open || !SNAPSHOT_PROTOCOLS.includes(protocol)) return undefined;
  const fromSuite = suite === false ? {} : settingsOf(suite);
  const fromCheck = settingsOf(own);
  return {
    values: fromCheck.values ?? fromSuite.values ?? false,
    ignore: [...new Set([...(fromSuite.ignore ?? []), ...(fromCheck.ignore ?? [])])],
  };
}

const withSnapshot = (s: SnapshotSettings | undefined) => (s ? { snapshot: s } : {});

export function resolveCheck(
  authored: AuthoredCommon & Record<string, unknown>,
  protocol: ProtocolName,
  defaults: ResolvedDefaults,
): Check {
  const latency = authored.latency
    ? (Object.fromEntries(
        Object.entries(authored.latency)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, ms(v)]),
      ) as LatencyBounds)
    : undefined;
  const { options, expect } = resolveOptions(protocol, authored[protocol] ?? {}, (authored.expect ?? {}) as Expect, defaults);
  return {
    name: authored.name,
    target: authored.target,
    ...splitTarget(authored.target),
    protocol,
    options,
    expect,
    timeoutMs: authored.timeout !== undefined ? ms(authored.timeout) : defaults.timeoutMs,
    retry: {
      forMs: authored.retry?.for !== undefined ? ms(authored.retry.for) : defaults.retry.forMs,
      everyMs: authored.retry?.every !== undefined ? ms(authored.retry.every) : defaults.retry.everyMs,
    },
    samples: authored.samples ?? 0,
    ...(latency ? { latency } : {}),
    ...withSnapshot(resolveSnapshot(authored.snapshot, defaults.snapshot, protocol, (expect as { open: boolean }).open)),
  } as Check;
}
