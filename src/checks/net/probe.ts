// Negative checks (`open: false`) for every protocol. "Must not be reachable" is a statement about
// the network, so it is decided at TCP level: a completed handshake means something listens there,
// even if the protocol on top would then refuse us (a wrong password still proves the port is open).
// Refused, reset, timed out, unroutable or unresolvable all count as closed.
import { connectTcp } from './connect.js';
import { errorCode, errorMessage } from './errors.js';
import type { TransactionRecorder } from '../transaction.js';
import type { AttemptOutcome } from '../types.js';

export async function probeClosed(host: string, port: number, signal: AbortSignal, record?: TransactionRecorder): Promise<AttemptOutcome> {
  record?.sent({ protocol: 'probe', host, port });
  try {
    const socket = await connectTcp(host, port, signal, record);
    socket.destroy();
    record?.received({ protocol: 'probe', connected: true });
    return { ok: false, message: `expected ${host}:${port} not to be reachable, but it accepted a TCP connection` };
  } catch (err) {
    const code = errorCode(err) ?? errorMessage(err);
    record?.received({ protocol: 'probe', connected: false });
    return { ok: true, note: `not reachable (${code})` };
  }
}
