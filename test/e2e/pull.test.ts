// The image-pull path against a registry of the test's own on 127.0.0.1: a missing image is pulled
// before anything starts, a registry hiccup (503) is retried, and an image the registry does not
// have fails with exit 3 and the registry's own reason.
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, envtest, fixture, leftovers, uniqueRunId } from '../support/cli.js';
import { freePort, pushTinyImage, registryToolsMissing, startRegistry, type LocalRegistry } from '../support/local-registry.js';

const missingTools = registryToolsMissing();
if (missingTools) console.warn(`image-pull tests skipped: ${missingTools}`);

describe.skipIf(!!missingTools)('pulling images', () => {
  let registry: LocalRegistry;
  let flaky: Server;
  let flakyHost = '';
  let failuresLeft = 0;
  const tag = `t${process.pid}`;

  beforeAll(async () => {
    registry = await startRegistry();
    await pushTinyImage(`${registry.host}/envtest-tiny:${tag}`);
    // A proxy that answers 503 a given number of times before passing requests to the registry.
    const port = await freePort();
    flakyHost = `127.0.0.1:${port}`;
    flaky = createServer((req, res) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end('registry busy');
        return;
      }
      const [host, target] = registry.host.split(':');
      const upstream = request({ host, port: Number(target), method: req.method, path: req.url, headers: { ...req.headers, host: registry.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    }).listen(port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    flaky?.close();
    await registry?.stop();
    for (const host of [registry?.host, flakyHost]) await docker(['rmi', '-f', `${host}/envtest-tiny:${tag}`]).catch(() => undefined);
  });

  it('pulls an image that is not on the engine, then starts it', async () => {
    const id = uniqueRunId('pull');
    const image = `${registry.host}/envtest-tiny:${tag}`;
    const result = await envtest(['up', '-f', fixture('stack-pulled-image.yaml'), '--run-id', id], { env: { PULL_IMAGE: image } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain(`pulling ${image}`);
    expect(await docker(['image', 'inspect', image, '--format', 'present'])).toBe('present');
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('retries a registry that answers 503 at first', async () => {
    const id = uniqueRunId('retry');
    const image = `${flakyHost}/envtest-tiny:${tag}`;
    // The engine absorbs a couple of 503s itself (a plain `docker pull` survives 2, fails on 4), so
    // 4 make the engine's pull fail and only envtest's own retry can succeed.
    failuresLeft = 4;
    const result = await envtest(['up', '-f', fixture('stack-pulled-image.yaml'), '--run-id', id], { env: { PULL_IMAGE: image } });
    expect(result.exitCode, result.all).toBe(0);
    expect(failuresLeft).toBe(0);
    expect((await envtest(['down', id])).exitCode).toBe(0);
    expect(await leftovers(id)).toEqual([]);
  });

  it('exits 3 naming the image and the registry\'s reason when the registry does not have it', async () => {
    const id = uniqueRunId('nopull');
    const image = `${registry.host}/envtest-tiny:no-such-tag`;
    const result = await envtest(['up', '-f', fixture('stack-pulled-image.yaml'), '--run-id', id], { env: { PULL_IMAGE: image } });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain(`image ${image} is not available locally and could not be pulled`);
    expect(result.stderr).toMatch(/manifest unknown|not found/i);
    expect(await leftovers(id)).toEqual([]);
  });
});
