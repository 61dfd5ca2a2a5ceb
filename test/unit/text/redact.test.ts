import { describe, expect, it } from 'vitest';
import { Redactor, isSecretName, secretValues } from '../../../src/text/redact.js';

describe('secret redaction', () => {
  it('finds values under secret-looking names, nested ones too', () => {
    expect(
      secretValues(
        { DB_PASSWORD: 'hunter22', PORT: '8080', API_TOKEN: 'tok-1234' },
        { options: { user: 'app', password: 'pw-5678', headers: { Authorization: 'Bearer abcd' } } },
      ),
    ).toEqual(['hunter22', 'tok-1234', 'pw-5678', 'Bearer abcd']);
    expect(['PGPASSWORD', 'aws_secret_access_key', 'GITHUB_TOKEN', 'npm_credentials'].every(isSecretName)).toBe(true);
    expect(isSecretName('DATABASE_URL')).toBe(false);
  });

  it('replaces plain and URL-encoded forms, longest first, and leaves short values alone', () => {
    const r = new Redactor(['p@ss word!', 'p@ss', 'on']);
    expect(r.redact('dsn postgres://app:p%40ss%20word!@db/app and p@ss word! and p@ss, on')).toBe('dsn postgres://app:***@db/app and *** and ***, on');
  });

  it('redacts every string of a document, even secrets with quotes and backslashes', () => {
    const r = new Redactor(['q"uo\\te-9']);
    const doc = { message: 'got q"uo\\te-9 back', list: ['q"uo\\te-9'], n: 3 };
    expect(r.redactDeep(doc)).toEqual({ message: 'got *** back', list: ['***'], n: 3 });
    expect(new Redactor(['ends-with\\']).redactDeep({ m: 'x ends-with\\' })).toEqual({ m: 'x ***' });
  });
});

describe('secrets inside structured logs', () => {
  it('are found in their JSON-escaped form too', () => {
    const r = new Redactor(['pa"ss\\word']);
    expect(r.redact(JSON.stringify({ msg: 'using pa"ss\\word' }))).toBe('{"msg":"using ***"}');
  });
});
