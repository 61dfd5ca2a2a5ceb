// Client libraries take no AbortSignal; this hooks their own close/destroy onto ours.

export function onAbort(signal: AbortSignal, close: () => void): () => void {
  const listener = () => {
    try {
      close();
    } catch {
      // Closing a half-open client may throw; the attempt is already being abandoned.
    }
  };
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** Rejects with the given error when the signal fires, for waits a library cannot cancel. */
export function abortable<T>(signal: AbortSignal, work: Promise<T>, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const off = onAbort(signal, () => reject(error()));
    work.then(
      (v) => {
        off();
        resolve(v);
      },
      (e: unknown) => {
        off();
        reject(e);
      },
    );
  });
}
