import { describe, expect, it } from 'vitest';
import { rememberingImages } from '../../../src/runtime/remembered-images.js';
import { FakeRuntime } from '../orchestrator/fake-runtime.js';

/** A fake engine where `here` are the images present, and every lookup is counted. */
class CountingEngine extends FakeRuntime {
  readonly asked: string[] = [];
  constructor(private readonly here: string[]) {
    super();
  }
  override async imageExists(ref?: string) {
    this.asked.push(ref!);
    return this.here.includes(ref!);
  }
  override async pullImage(ref?: string) {
    this.here.push(ref!);
  }
}

function engine(here: string[]) {
  const fake = new CountingEngine(here);
  return { fake, asked: fake.asked };
}

describe('rememberingImages', () => {
  it('asks the engine once about an image that is there, and again about one that is not until it is pulled', async () => {
    const { fake, asked } = engine(['sidecar:1']);
    const runtime = rememberingImages(fake);
    expect(await runtime.imageExists('sidecar:1')).toBe(true);
    expect(await runtime.imageExists('sidecar:1')).toBe(true);
    expect(await runtime.imageExists('app:2')).toBe(false);
    expect(await runtime.imageExists('app:2')).toBe(false);
    await runtime.pullImage('app:2');
    expect(await runtime.imageExists('app:2')).toBe(true);
    expect(asked).toEqual(['sidecar:1', 'app:2', 'app:2']);
  });

  it('passes every other verb and property through to the engine', async () => {
    const { fake } = engine([]);
    const runtime = rememberingImages(fake);
    expect(runtime.endpoint).toBe('fake://');
    await runtime.createNetwork({ name: 'n1', labels: {} } as never);
    expect(fake.networks.has('n1')).toBe(true);
  });
});
