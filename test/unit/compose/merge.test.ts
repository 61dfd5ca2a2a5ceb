import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { memfs } from './memfs.js';

const base = `
services:
  web:
    image: web:1
    command: npm start
    entrypoint: [tini, --]
    environment: [A=1, B=2]
    labels: {team: a}
    ports: ["8080:80", "9000:9000"]
    expose: [3000]
    dns: 1.1.1.1
    volumes: ["data:/data", "./conf:/conf"]
    depends_on: [db]
    healthcheck:
      test: curl -f http://localhost
      interval: 5s
    networks: [front]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: x
networks:
  front: {}
volumes:
  data: {}
x-common: {a: 1}
`;
const override = `
services:
  web:
    image: web:2
    command: ["node", "server.js"]
    environment: {B: "3", C: "4"}
    labels: [tier=front]
    ports: ["9000:9000", "9443:443"]
    expose: ["3000", "3001"]
    dns: [8.8.8.8]
    volumes:
      - type: volume
        source: other
        target: /data
    depends_on:
      cache: {condition: service_healthy}
    healthcheck:
      test: [CMD, "true"]
    networks:
      back: {aliases: [w]}
    cap_add: !reset []
    entrypoint: !reset null
  db:
    environment: !override
      ONLY: me
  cache:
    image: redis
networks:
  back: {}
volumes:
  other: {}
x-common: {b: 2}
`;

describe('merging -f files', () => {
  it('follows the Compose merge rules', async () => {
    const fs = memfs({ '/p/compose.yaml': base, '/p/compose.override.yaml': override });
    const { project, composeFiles } = await loadProjectWith(fs, { cwd: '/p', files: ['compose.yaml', 'compose.override.yaml'], env: {} });
    expect(composeFiles).toEqual(['/p/compose.yaml', '/p/compose.override.yaml']);
    const web = project.services.web!;
    expect(web.image).toBe('web:2');
    expect(web.command).toEqual(['node', 'server.js']);
    expect(web.entrypoint).toBeUndefined();
    expect(web.cap_add).toBeUndefined();
    expect(web.environment).toEqual({ A: '1', B: '3', C: '4' });
    expect(web.labels).toEqual({ team: 'a', tier: 'front' });
    expect(web.ports).toEqual([
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', target: 9000, published: '9000', protocol: 'tcp' },
      { mode: 'ingress', target: 443, published: '9443', protocol: 'tcp' },
    ]);
    expect(web.expose).toEqual(['3000', '3001']);
    expect(web.dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(web.volumes).toEqual([
      { type: 'volume', source: 'other', target: '/data' },
      { type: 'bind', source: '/p/conf', target: '/conf', bind: { create_host_path: true } },
    ]);
    expect(web.depends_on).toEqual({
      db: { condition: 'service_started', required: true, restart: false },
      cache: { condition: 'service_healthy', required: true, restart: false },
    });
    expect(web.healthcheck).toEqual({ test: ['CMD', 'true'], interval: '5s' });
    expect(web.networks).toEqual({ front: null, back: { aliases: ['w'] } });
    expect(project.services.db!.environment).toEqual({ ONLY: 'me' });
    expect(Object.keys(project.services)).toEqual(['cache', 'db', 'web']);
    expect(project['x-common']).toEqual({ a: 1, b: 2 });
    expect(project.volumes).toEqual({ data: { name: 'p_data' }, other: { name: 'p_other' } });
  });
});
