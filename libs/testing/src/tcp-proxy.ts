/**
 * A small TCP proxy for fault tests: put it between an app and Postgres or Redis, then make the
 * dependency misbehave without touching the shared server. Modes:
 *   pass       forward bytes both ways (the default)
 *   blackhole  accept connections and keep them open, but deliver nothing either way, on new and
 *              existing connections alike (a hung host: SIGSTOP, a dropped route, a half-open
 *              socket); the bytes are held and delivered in order on the return to `pass`, as TCP
 *              retransmission would once the host answers again
 *   refuse     stop listening and reset every connection (the port is closed: ECONNREFUSED)
 * `cut()` resets the live connections and keeps the mode (a restart, pg_terminate_backend).
 * `latencyMs` delays every chunk in both directions.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

export interface TcpProxy {
  /** 127.0.0.1 port the proxy listens on (kept across refuse/pass). */
  port: number;
  mode: ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  /** Resets (RST) every connection open now. */
  cut(): void;
  /** Added delay per chunk, both directions; 0 for none. */
  latencyMs: number;
  /** Connections accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** 0 (default) picks a free port. */
  port?: number;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
  /** Bytes held while black-holed, per direction; delivered in order once the proxy passes again. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let server: Server | undefined;
  const state = { mode: 'pass' as ProxyMode, latencyMs: 0, accepted: 0 };

  const deliver = (to: Socket | undefined, chunk: Buffer) => {
    if (!to || to.destroyed) return;
    if (state.latencyMs > 0) setTimeout(() => to.destroyed || to.write(chunk), state.latencyMs);
    else to.write(chunk);
  };

  const connectUpstream = (pair: Pair) => {
    const upstream = createConnection({ host: opts.targetHost ?? '127.0.0.1', port: opts.targetPort });
    pair.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => pair.client.resetAndDestroy());
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (chunk: Buffer) => {
      // A hung host: nothing comes back, but TCP would deliver it all once the host answers again.
      if (state.mode !== 'pass') pair.toClient.push(chunk);
      else deliver(pair.client, chunk);
    });
    flush(pair);
  };

  const flush = (pair: Pair) => {
    if (!pair.upstream) return connectUpstream(pair);
    for (const c of pair.toUpstream.splice(0)) deliver(pair.upstream, c);
    for (const c of pair.toClient.splice(0)) deliver(pair.client, c);
  };

  const onConnection = (client: Socket) => {
    state.accepted += 1;
    const pair: Pair = { client, toUpstream: [], toClient: [] };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => {
      if (state.mode !== 'pass' || !pair.upstream) pair.toUpstream.push(chunk);
      else deliver(pair.upstream, chunk);
    });
    if (state.mode === 'pass') connectUpstream(pair);
  };

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        const addr = s.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  const cut = () => {
    for (const p of [...pairs]) {
      pairs.delete(p);
      p.client.resetAndDestroy();
      p.upstream?.resetAndDestroy();
    }
  };

  const port = await listen(opts.port ?? 0);
  const proxy: TcpProxy = {
    port,
    get mode() {
      return state.mode;
    },
    set mode(_m: ProxyMode) {
      throw new Error('use setMode()');
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    get accepted() {
      return state.accepted;
    },
    set accepted(_n: number) {
      throw new Error('read-only');
    },
    async setMode(mode: ProxyMode) {
      const before = state.mode;
      state.mode = mode;
      if (mode === 'refuse') {
        const closing = stopListening();
        cut();
        await closing;
      } else if (before === 'refuse') {
        await listen(port);
      }
      if (mode === 'pass') for (const p of pairs) flush(p);
    },
    cut,
    async close() {
      state.mode = 'refuse';
      const closing = stopListening();
      cut();
      await closing;
    },
  };
  return proxy;
}
