import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** An echo server: what a proxied client gets back proves the path works. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => undefined); // the proxy resets it in one test
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function firstEvent(s: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('silence'), ms);
    s.once('data', (d) => {
      clearTimeout(timer);
      resolve(`data:${d.toString()}`);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(`error:${e.code}`);
    });
    s.once('close', () => {
      clearTimeout(timer);
      resolve('close');
    });
  });
}

describe('startTcpProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await startTcpProxy({ targetPort: echo.port });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await proxy.stop();
    await new Promise<void>((r) => echo.server.close(() => r()));
  });

  it('forwards both ways', async () => {
    const s = await dial(proxy.port);
    sockets.push(s);
    s.write('ping');
    expect(await firstEvent(s, 2_000)).toBe('data:ping');
  });

  it('black-holes: accepts, answers nothing, then delivers the held bytes in order once forwarding resumes', async () => {
    proxy.blackhole();
    const s = await dial(proxy.port);
    sockets.push(s);
    s.write('held');
    expect(await firstEvent(s, 300)).toBe('silence');
    proxy.forward();
    expect(await firstEvent(s, 2_000)).toBe('data:held');
  });

  it('refuses new connections with a reset', async () => {
    proxy.refuse();
    const s = connect(proxy.port, '127.0.0.1');
    sockets.push(s);
    expect(await firstEvent(s, 2_000)).toMatch(/^(error:ECONNRESET|close)$/);
  });

  it('resets every open connection', async () => {
    const s = await dial(proxy.port);
    sockets.push(s);
    s.write('x');
    expect(await firstEvent(s, 2_000)).toBe('data:x');
    expect(proxy.resetAll()).toBe(1);
    expect(await firstEvent(s, 2_000)).toBe('error:ECONNRESET');
  });
});
