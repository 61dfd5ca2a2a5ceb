import { describe, expect, it } from 'vitest';
import { validateSuite } from '../../../src/suite/validate.js';
import { formatProblem } from '../../../src/errors.js';

const messages = (text: string, env: Record<string, string> = {}) =>
  validateSuite(text, 'suite.yaml', env).problems.map(formatProblem);

const one = (check: string) => `checks:\n  - name: c\n    target: api:80\n${check}`;

describe('validateSuite', () => {
  it('names file, line, check and key path for unknown keys, with a did-you-mean', () => {
    expect(messages(one('    http: { path: /x }\n    expect:\n      stauts: 200\n'))).toEqual([
      'suite.yaml:6 checks[0] "c" expect: unknown key "stauts" (did you mean "status"?)',
    ]);
  });

  it('reports an unknown protocol with the supported list', () => {
    expect(messages(one('    postgresql: {}\n'))).toEqual([
      'suite.yaml:4 checks[0] "c": unknown protocol "postgresql" (did you mean "postgres"?); supported: tcp, http, grpc, postgres, mysql, redis, amqp, nats, mqtt',
    ]);
  });

  it('rejects two protocol keys and none', () => {
    expect(messages(one('    http: {}\n    tcp: {}\n'))).toEqual([
      'suite.yaml:2 checks[0] "c": has 2 protocol keys (tcp, http); a check uses exactly one',
    ]);
    expect(messages(one(''))).toEqual([
      'suite.yaml:2 checks[0] "c": needs a protocol key, one of: tcp, http, grpc, postgres, mysql, redis, amqp, nats, mqtt',
    ]);
  });

  it('names an unnamed check by index', () => {
    expect(messages('checks:\n  - target: api:80\n    tcp: {}\n')).toEqual(['suite.yaml:2 checks[0] name: is required']);
  });

  it('gathers every problem across checks, sorted by line', () => {
    const text = [
      'defaults:',
      '  retry: { for: soon }',
      'checks:',
      '  - name: a',
      '    target: gateway',
      '    http: { path: healthz }',
      '    expect: { status: 999, body: { contain: ok } }',
      '  - name: a',
      '    target: gateway:80',
      '    http: {}',
      '    latency: { p95: 250ms }',
      '  - name: closed',
      '    target: api:9100',
      '    tcp: {}',
      '    expect: { open: false, receive: hello }',
      '    samples: 3',
    ].join('\n');
    expect(messages(text)).toEqual([
      'suite.yaml:2 defaults.retry.for: expected a duration like 250ms, 2s or 1m, got "soon"',
      'suite.yaml:5 checks[0] "a" target: expected service:port, e.g. gateway:80, got "gateway"',
      'suite.yaml:6 checks[0] "a" http.path: must start with "/", got "healthz"',
      'suite.yaml:7 checks[0] "a" expect.status: must be at most 599, got 999',
      'suite.yaml:7 checks[0] "a" expect.body: unknown key "contain" (did you mean "contains"?)',
      'suite.yaml:8 checks[1] "a" name: duplicate check name "a" (also checks[0])',
      'suite.yaml:11 checks[1] "a" latency: needs samples: N, the number of requests to measure it over',
      'suite.yaml:15 checks[2] "closed" expect.receive: cannot be combined with open: false (a closed port answers nothing)',
      'suite.yaml:16 checks[2] "closed" samples: cannot be combined with open: false (nothing to measure)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(messages('name: a\nchecks: []\nname: b\n')).toEqual(['suite.yaml:3: duplicate key "name" (first on line 1); YAML keys must be unique']);
  });

  it('rejects a body expectation with no or several matchers', () => {
    expect(messages(one('    http: {}\n    expect: { body: {} }\n'))).toEqual([
      'suite.yaml:5 checks[0] "c" expect.body: needs exactly one of contains, equals or matches',
    ]);
    expect(messages(one('    http: {}\n    expect: { body: { matches: "(" } }\n'))).toEqual([
      'suite.yaml:5 checks[0] "c" expect.body.matches: not a valid regular expression, got "("',
    ]);
  });

  it('suggests values for enums', () => {
    expect(messages(one('    grpc: {}\n    expect: { status: SERVNG }\n'))).toEqual([
      'suite.yaml:5 checks[0] "c" expect.status: expected one of UNKNOWN, SERVING, NOT_SERVING, SERVICE_UNKNOWN, got "SERVNG" (did you mean "SERVING"?)',
    ]);
  });

  it('resolves defaults, durations and shorthand', () => {
    const { suite, problems } = validateSuite(
      [
        'defaults: { timeout: 1s, retry: { every: 50ms } }',
        'checks:',
        '  - name: web',
        '    target: web:8080',
        '    http: {}',
        '    expect: { status: 204, headers: { Content-Type: { matches: json } } }',
        '    retry: { for: 3s }',
        '    samples: 5',
        '    latency: { p95: 250ms, max: 1 }',
      ].join('\n'),
      'dir/my-suite.yml',
    );
    expect(problems).toEqual([]);
    expect(suite).toEqual({
      name: 'my-suite',
      file: 'dir/my-suite.yml',
      checks: [
        {
          name: 'web',
          target: 'web:8080',
          host: 'web',
          port: 8080,
          protocol: 'http',
          options: { method: 'GET', path: '/', headers: {}, body: undefined, tls: false, verify: false, traceparent: true },
          expect: { open: true, status: [204], headers: { 'content-type': { matches: 'json' } }, body: undefined, json: undefined },
          timeoutMs: 1000,
          retry: { forMs: 3000, everyMs: 50 },
          samples: 5,
          latency: { p95: 250, max: 1000 },
        },
      ],
    });
  });

  it('sends traceparent unless the suite or the check turns it off', () => {
    const checks = (defaults: string) =>
      validateSuite(
        `${defaults}checks:\n  - { name: a, target: w:80, http: {} }\n  - { name: b, target: w:80, http: { traceparent: true } }\n  - { name: c, target: w:80, http: { traceparent: false } }\n`,
        's.yaml',
      ).suite?.checks.map((c) => (c.options as { traceparent: boolean }).traceparent);
    expect(checks('')).toEqual([true, true, false]);
    expect(checks('defaults: { traceparent: false }\n')).toEqual([false, true, false]);
  });

  it('applies protocol defaults', () => {
    const { suite } = validateSuite(
      'name: s\nchecks:\n  - { name: pg, target: db:5432, postgres: {} }\n  - { name: g, target: "[::1]:50051", grpc: {} }\n',
      'x.yaml',
    );
    expect(suite?.checks[0]).toMatchObject({ protocol: 'postgres', options: { user: 'postgres', query: 'SELECT 1' } });
    expect(suite?.checks[1]).toMatchObject({ host: '::1', port: 50051, expect: { status: 'SERVING' }, options: { health: { service: '' } } });
  });

  it('interpolates before validating, so a bad value from a variable is reported', () => {
    const text = one('    postgres: { password: "${PGPASS}", user: "${PGUSER:-app}" }\n    timeout: "${T}"\n');
    expect(validateSuite(text, 's.yaml', { PGPASS: 'pw', T: '3s' }).suite?.checks[0]).toMatchObject({
      options: { password: 'pw', user: 'app' },
      timeoutMs: 3000,
    });
    expect(messages(text, { T: 'later' })).toEqual([
      'suite.yaml:4 checks[0] "c" postgres.password: variable "PGPASS" is not set (use ${PGPASS:-default} to give a default)',
      'suite.yaml:5 checks[0] "c" timeout: expected a duration like 250ms, 2s or 1m, got "later"',
    ]);
  });
});
