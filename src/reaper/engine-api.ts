// The few engine calls the reaper needs, over the mounted socket with node:http alone: the reaper
// must run in any image that has node, with nothing installed.
import { request } from 'node:http';

export interface EngineApi {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function engineApi(socketPath = '/var/run/docker.sock'): EngineApi {
  return {
    call: (method, path, payload) =>
      new Promise((resolve, reject) => {
        const req = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // Plain-text error bodies stay strings.
            }
            resolve({ status: res.statusCode ?? 0, body: body as never });
          });
        });
        req.on('error', reject);
        req.end(payload === undefined ? undefined : JSON.stringify(payload));
      }),
  };
}
