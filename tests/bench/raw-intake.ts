/**
 * Bench child process: the raw node:http ceiling for intake. Accepts the same POST body as
 * POST /v1/stories (reads it whole) and answers 202 with a small JSON, doing nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let accepted = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const size = Buffer.concat(chunks).length;
    accepted += 1;
    const body = JSON.stringify({ id: String(accepted), status: 'accepted', bytes: size });
    res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', ports: { http: (server.address() as AddressInfo).port } }));
