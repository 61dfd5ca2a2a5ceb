// One run asks whether the same image exists many times: the sidecar image alone is looked up to
// resolve it, to check it runs node, for the reaper, the port helper, the sidecar and the inventory.
// Within a run an image that was there (or was pulled) stays there, so one answer per image is
// enough; only "missing" is asked again, since another part may have pulled it meanwhile.
import type { Backend } from './backend.js';

export function rememberingImages<T extends Pick<Backend, 'imageExists' | 'pullImage'>>(runtime: T): T {
  const present = new Set<string>();
  const imageExists: Backend['imageExists'] = async (ref) => {
    if (present.has(ref)) return true;
    const exists = await runtime.imageExists(ref);
    if (exists) present.add(ref);
    return exists;
  };
  const pullImage: Backend['pullImage'] = async (...args) => {
    await runtime.pullImage(...args);
    present.add(args[0]);
  };
  // A proxy rather than a class: every other verb of the interface passes through untouched, the
  // ones added later included.
  return new Proxy(runtime, {
    get(target, key) {
      if (key === 'imageExists') return imageExists;
      if (key === 'pullImage') return pullImage;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
