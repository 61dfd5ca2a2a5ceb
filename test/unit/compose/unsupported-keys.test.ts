// Every Compose key the loader accepts is honoured by `up`; the ones envtest cannot honour are
// refused here, by name, before anything starts.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { loadProjectWith } from '../../../src/compose/index.js';
import { memfs } from './memfs.js';

const load = (yaml: string) => loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });

async function refusals(yaml: string): Promise<string[]> {
  const e = await load(yaml).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationError);
  // Why and whether planned is refusals.ts's business (refusals.test.ts); here: which keys.
  return (e as ValidationError).problems.map((p) => `${p.line} ${p.path}: ${p.message.replace(/^not supported yet \(.*\)$/, NOT_SUPPORTED)}`);
}

const NOT_SUPPORTED = 'not supported yet (why; planned or not)';

describe('keys envtest cannot honour are refused by name', () => {
  it('refuses what the classic builder or a swarm would need; fixed addresses, drivers and ipam pass', async () => {
    expect(
      await refusals(`services:
  web:
    build:
      context: .
      cache_to: [type=local,dest=/tmp/c]
      platforms: [linux/amd64, linux/arm64]
    networks:
      back:
        ipv4_address: 10.5.0.5
        ipv6_address: fd00::5
    volumes:
      - type: volume
        source: data
        target: /data
        volume: {subpath: sub}
    deploy:
      resources:
        reservations: {cpus: "0.5"}
    secrets: [token]
    configs: [app]
networks:
  back:
    driver: overlay
    driver_opts: {a: b}
    ipam: {config: [{subnet: 10.5.0.0/16}]}
    enable_ipv6: true
volumes:
  data:
    driver: nfs
    driver_opts: {type: nfs}
secrets:
  token: {external: true}
configs:
  app: {external: true}
`),
    ).toEqual([
      `5 services.web.build.cache_to: ${NOT_SUPPORTED}`,
      `15 services.web.volumes.0.volume.subpath: ${NOT_SUPPORTED}`,
      // External secrets and configs load (docker compose config prints them); a service using one is refused at start.
      // Several build platforms load too (docker compose config prints them): refused only when the image must be built.
    ]);
  });

  it('refuses values it cannot honour once the files are merged', async () => {
    expect(
      await refusals(`services:
  web:
    build:
      context: .
      platforms: [linux/amd64, linux/arm64]
    networks: [back]
    volumes: [data:/data]
    secrets: [empty, both]
    configs: [nothing]
  side:
    image: x
    network_mode: none
    links: [web]
    read_only: true
    configs: [nothing]
networks:
  back: {driver: overlay}
volumes:
  data: {driver: nfs}
secrets:
  empty: {name: x}
  both: {file: ./a, environment: A}
configs:
  nothing: {}
`),
    ).toEqual([
      '21 secrets.empty: needs its content from "file" or "environment"',
      '22 secrets.both: sets file and environment: set only one of "file" or "environment"',
      '24 configs.nothing: needs its content from "file", "environment" or "content"',
      '13 services.side.links: cannot be used together with network_mode "none"',
    ]);
  });

  it('refuses byte sizes, CPU counts and file modes it cannot read', async () => {
    expect(
      await refusals(`services:
  web:
    image: x
    mem_limit: 64 megs
    cpus: half
    secrets: [{source: token, mode: "0999", uid: root}]
secrets:
  token: {file: ./t}
`),
    ).toEqual([
      '4 services.web.mem_limit: the string "64 megs" is not valid: expected a byte size such as "64m", "1g" or a number of bytes',
      '5 services.web.cpus: the string "half" is not valid: expected a number of CPUs such as 0.5 or 2',
      '6 services.web.secrets.0.uid: the string "root" is not valid: expected a numeric user or group id such as "1000"',
      '6 services.web.secrets.0.mode: the string "0999" is not valid: expected an octal file mode such as "0440"',
    ]);
  });

  it('accepts what it honours: one platform, bridge and local drivers, octal modes as Compose reads them', async () => {
    const { project } = await load(`services:
  web:
    build:
      context: .
      platforms: [linux/amd64]
      extra_hosts: {registry: 10.0.0.1}
    networks: [back]
    volumes: [data:/data]
    secrets:
      - {source: token, mode: 0440}
      - {source: token, target: other, mode: "0400", uid: "1000"}
    configs: [{source: app, mode: 288}]
networks:
  back: {driver: bridge}
volumes:
  data: {driver: local}
secrets:
  token: {environment: TOKEN}
configs:
  app: {content: "hello"}
`);
    const web = project.services.web!;
    expect(web.build?.extra_hosts).toEqual(['registry=10.0.0.1']);
    expect(web.secrets).toEqual([
      { source: 'token', target: '/run/secrets/token', mode: '0440' },
      { source: 'token', target: 'other', mode: '0400', uid: '1000' },
    ]);
    expect(web.configs).toEqual([{ source: 'app', mode: '0440' }]);
    expect(project.configs).toEqual({ app: { content: 'hello', name: 'p_app' } });
  });
});
