// Shared by the messaging protocols: what to publish, and how to report a message that never came back.
import { formatDuration } from '../../model/duration.js';

/** The user's payload, or one unique to this attempt so a stale message can never count. */
export function payloadFor(given: string | undefined, nonce: string): string {
  return given ?? `envtest ${nonce}`;
}

export function notReceived(what: string, timeoutMs: number): string {
  return `published to ${what} but did not receive it back within ${formatDuration(timeoutMs)}`;
}
