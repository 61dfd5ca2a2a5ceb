// Names that become host names, port numbers and an empty project: refused with file and line.
import { describe, expect, it } from 'vitest';
import { loadProjectWith } from '../../../src/compose/index.js';
import { formatProblem, ValidationError } from '../../../src/errors.js';
import { checkStartable } from '../../../src/orchestrator/lifecycle/up.js';
import { memfs } from '../compose/memfs.js';

async function problems(yaml: string, start = false): Promise<string[]> {
  let e: unknown;
  try {
    const loaded = await loadProjectWith(memfs({ '/p/compose.yaml': yaml }), { cwd: '/p', env: {} });
    if (start) checkStartable(loaded.project, { locate: loaded.locate });
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(ValidationError);
  expect((e as ValidationError).exitCode).toBe(2);
  return (e as ValidationError).problems.map(formatProblem);
}

describe('compose names, ports and empty projects', () => {
  it('two services with the same container_name', async () => {
    expect(await problems('services:\n  a:\n    image: x\n    container_name: db\n  b:\n    image: x\n    container_name: db\n')).toEqual([
      'compose.yaml:7 services.b.container_name: "db" is already the container_name of service "a"; container names must be unique',
    ]);
  });

  it('a service name longer than a DNS label, or not a host name', async () => {
    const long = 'a'.repeat(64);
    expect(await problems(`services:\n  ${long}:\n    image: x\n`)).toEqual([
      `compose.yaml:2 services.${long}: service name is 64 characters long; other services reach it by this name, and a host name label holds at most 63: shorten it`,
    ]);
    expect((await problems('services:\n  web-:\n    image: x\n'))[0]).toMatch(/^compose.yaml:2 services.web-: service name "web-" cannot be a host name/);
  });

  it('port 0 as a target, a published value that is no port, a negative expose', async () => {
    expect(await problems('services:\n  a:\n    image: x\n    ports:\n      - target: 0\n        published: "x"\n    expose: ["-5"]\n')).toEqual([
      'compose.yaml:7 services.a.expose.0: "-5" is not a container port; use a port 1-65535 or a range like "8000-8010", optionally with /tcp, /udp or /sctp',
      'compose.yaml:5 services.a.ports.0: target 0 is not a container port; use 1-65535',
      'compose.yaml:5 services.a.ports.0: published "x" is not a port number or range; use a host port 0-65535 or a range like "8000-8010"',
    ]);
    expect(await problems('services:\n  a:\n    image: x\n    ports: ["8080:0"]\n')).toEqual(['compose.yaml:4 services.a.ports.0: "8080:0": container port 0 is not a port; use 1-65535']);
  });

  it('a project with no services cannot be started', async () => {
    expect(await problems('services: {}\n', true)).toEqual([
      'compose.yaml:1 services: no service to start: the project has no services, or none in the active profiles; add one under services (or pass --profile)',
    ]);
  });
});
