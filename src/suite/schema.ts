// The suite file as users write it. One source for validation and for the JSON Schema editors use,
// so the schema stays free of transforms: resolving defaults and durations happens in resolve.ts.
// Every object is strict: a misspelt key silently ignored would make a check pass for the wrong reason.
import { z } from 'zod';
import { durationProblem, parseDuration, type DurationRules } from '../model/duration.js';
import { GRPC_SERVING_STATUSES, PROTOCOLS, type ProtocolName } from '../model/suite.js';
import { parsePath } from '../snapshot/path.js';

// Mirrors model/duration.ts for editors (the JSON Schema keeps only the pattern); the parser decides.
const DURATION_PATTERN = '^(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^\\d+(?:\\.\\d+)?$';

const DURATION_ERROR = 'expected a duration like 250ms, 2s or 1m';
/** The shortest pause between retries: a smaller one hammers the service and floods the report. */
export const MIN_RETRY_EVERY_MS = 10;

function durationWith(rules: DurationRules = {}) {
  return z
    .union([z.string().regex(new RegExp(DURATION_PATTERN), DURATION_ERROR), z.number().nonnegative(DURATION_ERROR)], {
      error: DURATION_ERROR,
    })
    .superRefine((v, ctx) => {
      // Text that is no duration at all has its problem from the pattern already.
      const problem = parseDuration(v) === undefined ? undefined : durationProblem(v, rules);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
    })
    .meta({ description: 'A duration: 250ms, 2s, 1m30s (a bare number is seconds).' });
}
const duration = durationWith();
const timeout = durationWith({ positive: true });

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'not a valid regular expression' },
);

const retry = z
  .strictObject({
    for: duration.optional().meta({ description: 'Keep retrying a failing check for this long.' }),
    every: durationWith({ minMs: MIN_RETRY_EVERY_MS }).optional().meta({ description: 'Pause between attempts.' }),
  })
  .meta({ description: 'Retry a failing check until it passes or `for` runs out.' });

const latency = z
  .strictObject({ p50: duration.optional(), p95: duration.optional(), p99: duration.optional(), max: duration.optional() })
  .meta({ description: 'Upper bounds on latency over `samples` requests (nearest-rank percentiles).' });

const password = z.string().meta({ description: 'Never printed; prefer ${VAR} from the environment.' });
const open = z
  .boolean()
  .optional()
  .meta({ description: 'false: the check passes only if the port can NOT be reached.' });

const textMatch = z.union([z.string(), z.strictObject({ matches: regex })], {
  error: 'expected a string or { matches: <regex> }',
});

// One object with three optional keys rather than a union of three, so a typo gets a did-you-mean.
const body = z
  .strictObject({ contains: z.string().optional(), equals: z.string().optional(), matches: regex.optional() })
  .refine((b) => Object.values(b).filter((v) => v !== undefined).length === 1, {
    error: 'needs exactly one of contains, equals or matches',
    // An unknown key already explains the problem; "needs exactly one" on top would be noise.
    when: (payload) => payload.issues.length === 0,
  });

const statusCode = z.number().int().min(100).max(599);

const sql = {
  options: z.strictObject({
    user: z.string().optional(),
    password: password.optional(),
    database: z.string().optional(),
    query: z.string().optional().meta({ description: 'Default: SELECT 1' }),
  }),
  expect: {
    rows: z.array(z.record(z.string(), z.unknown())).optional().meta({ description: 'Subset match per row, in order.' }),
    rowCount: z.number().int().nonnegative().optional(),
  },
};

/** Options object and expectation keys for each protocol. */
export const protocolSchemas = {
  tcp: {
    options: z.strictObject({ send: z.string().optional() }),
    expect: { receive: z.string().optional().meta({ description: 'The reply must contain this text.' }) },
  },
  http: {
    options: z.strictObject({
      method: z.string().optional(),
      path: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
      tls: z.boolean().optional().meta({ description: 'https; certificates are not verified unless verify: true.' }),
      verify: z.boolean().optional(),
      traceparent: z
        .boolean()
        .optional()
        .meta({ description: 'Send a W3C traceparent header with the transaction\'s trace id. Default: defaults.traceparent (true).' }),
    }),
    expect: {
      status: z
        .union([statusCode, z.array(statusCode).min(1)], { error: 'expected a status code or a list of them' })
        .optional()
        .meta({ description: 'Default: any 2xx or 3xx.' }),
      headers: z.record(z.string(), textMatch).optional(),
      body: body.optional(),
      json: z.unknown().optional().meta({ description: 'Subset match: objects by key, arrays element by element.' }),
    },
  },
  grpc: {
    options: z.strictObject({
      health: z.strictObject({ service: z.string().optional() }).optional(),
      tls: z.boolean().optional(),
      verify: z.boolean().optional(),
    }),
    expect: { status: z.enum(GRPC_SERVING_STATUSES).optional().meta({ description: 'Default: SERVING.' }) },
  },
  postgres: sql,
  mysql: sql,
  redis: {
    options: z.strictObject({
      command: z.array(z.union([z.string(), z.number()])).min(1).optional().meta({ description: 'Default: [PING]' }),
      user: z.string().optional(),
      password: password.optional(),
      db: z.number().int().nonnegative().optional(),
    }),
    expect: { reply: z.unknown().optional() },
  },
  amqp: {
    options: z.strictObject({
      user: z.string().optional(),
      password: password.optional(),
      vhost: z.string().optional(),
      queue: z.string().optional(),
      payload: z.string().optional(),
    }),
    expect: {},
  },
  nats: {
    options: z.strictObject({
      subject: z.string().optional(),
      user: z.string().optional(),
      password: password.optional(),
      token: password.optional(),
      payload: z.string().optional(),
    }),
    expect: {},
  },
  mqtt: {
    options: z.strictObject({
      topic: z.string().optional(),
      user: z.string().optional(),
      password: password.optional(),
      payload: z.string().optional(),
    }),
    expect: {},
  },
} satisfies Record<ProtocolName, { options: z.ZodObject; expect: Record<string, z.ZodType> }>;

const target = z
  .string()
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*)|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, {
    error: 'expected service:port, e.g. gateway:80',
    abort: true,
  })
  .refine((t) => {
    const port = Number(t.slice(t.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be 1-65535')
  .meta({ description: 'service (or alias) and port on the run network, e.g. gateway:80' });

const ignorePath = z
  .string()
  .superRefine((text, ctx) => {
    try {
      parsePath(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a path: ${(e as Error).message}` });
    }
  })
  .meta({ description: 'A path left out of the shape: $.items[*].updatedAt, headers.x-request-id, columns.created_at.' });

const snapshot = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        values: z.boolean().optional().meta({ description: 'Record values too, not only keys and types. Default: false.' }),
        ignore: z.array(ignorePath).optional().meta({ description: 'Paths left out of the shape (and everything under them).' }),
      }),
    ],
    { error: 'expected true, false or { values, ignore }' },
  )
  .meta({
    description:
      'Compare the shape of the answer with __snapshots__/<suite>.snap.yaml (recorded with envtest run -u): status, content type, headers, JSON structure, columns, reply type.',
  });

const checkCommon = {
  name: z.string().min(1).meta({ description: 'Unique in the suite.' }),
  target,
  timeout: timeout.optional().meta({ description: 'Time allowed for one attempt.' }),
  retry: retry.optional(),
  samples: z.number().int().min(0).max(10_000).optional(),
  latency: latency.optional(),
  snapshot: snapshot.optional(),
};

function checkSchemaFor(protocol: ProtocolName): z.ZodObject {
  const spec = protocolSchemas[protocol];
  return z.strictObject({
    ...checkCommon,
    [protocol]: spec.options,
    expect: z.strictObject({ open, ...spec.expect }).optional(),
  });
}

export const checkSchemas = Object.fromEntries(PROTOCOLS.map((p) => [p, checkSchemaFor(p)])) as Record<
  ProtocolName,
  z.ZodObject
>;

export const defaultsSchema = z.strictObject({
  timeout: timeout.optional(),
  retry: retry.optional(),
  traceparent: z.boolean().optional().meta({ description: 'HTTP checks send a W3C traceparent header (default true).' }),
  snapshot: snapshot.optional().meta({ description: 'Snapshot every check that has an answer to record (not tcp, not open: false).' }),
});

/** Everything but the checks: validated on its own so each check can be validated against its protocol. */
export const suiteHeaderSchema = z.strictObject({
  name: z.string().min(1).optional().meta({ description: 'Default: the file name without extension.' }),
  defaults: defaultsSchema.optional(),
  checks: z.array(z.unknown()).min(1),
});

/** The whole file, for editors: each check is one of the per-protocol shapes. */
export const suiteFileSchema = suiteHeaderSchema.extend({
  checks: z.array(z.union(PROTOCOLS.map((p) => checkSchemas[p]))).min(1),
});

export type AuthoredDuration = z.infer<typeof duration>;
export type AuthoredCommon = z.infer<z.ZodObject<typeof checkCommon>>;
export type AuthoredOptions<P extends ProtocolName> = z.infer<(typeof protocolSchemas)[P]['options']>;
export type AuthoredHeader = z.infer<typeof suiteHeaderSchema>;
export type AuthoredDefaults = z.infer<typeof defaultsSchema>;
export type AuthoredSnapshot = z.infer<typeof snapshot>;
