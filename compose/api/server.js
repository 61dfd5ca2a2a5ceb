// The example's API: a public port for the stack and an admin port that must stay private to the
// container (bound to 127.0.0.1), which the suite checks from the sidecar.
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
const adminPort = Number(process.env.ADMIN_PORT || 9100);
const adminBind = process.env.ADMIN_BIND || '127.0.0.1';
if (!process.env.DATABASE_URL) {
  console.error('DATABASE_URL is not set; refusing to start');
  process.exit(1);
}

const orders = [
  { id: 1, item: 'espresso', qty: 2 },
  { id: 2, item: 'croissant', qty: 1 },
];

http
  .createServer((req, res) => {
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    console.log(`${req.method} ${req.url}`);
    if (req.url === '/healthz') return json(200, { status: 'ok', service: 'api' });
    if (req.url === '/orders') return json(200, { orders });
    json(404, { error: 'not found', path: req.url });
  })
  .listen(port, '0.0.0.0', () => console.log(`api listening on 0.0.0.0:${port}`));

http
  .createServer((_req, res) => res.end('admin'))
  .listen(adminPort, adminBind, () => console.log(`admin listening on ${adminBind}:${adminPort}`));
