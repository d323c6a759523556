/**
 * A TCP proxy that sits between the apps and Postgres or Redis and misbehaves on demand: adds
 * latency, black-holes (accepts and swallows bytes, answers nothing: a hung host), refuses new
 * connections with a reset, resets (RST) or cuts (FIN) every open connection. Self-contained, on
 * purpose: faults are injected without touching the shared servers. Black-holed bytes are held,
 * not dropped, and delivered in order once forwarding resumes (a hang, not a corruption).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'blackhole' | 'refuse';

export interface TcpProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  /** Forward normally again (buffered bytes of black-holed connections are dropped with them). */
  forward(): void;
  /** Open connections stop getting answers and new ones are accepted but get none either. */
  blackhole(): void;
  /** New connections are reset as soon as they arrive; open ones keep working. */
  refuse(): void;
  /** Delay every chunk by this many ms in both directions (0 = none). */
  setLatency(ms: number): void;
  /** RST both sides of every open connection (what a crashed host or `pg_terminate_backend` looks like to a client). */
  resetAll(): number;
  /** Close both sides of every open connection in an orderly way. */
  cutAll(): number;
  /** Connections currently open through the proxy. */
  openConnections(): number;
  stop(): Promise<void>;
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
}

export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = opts.targetHost ?? '127.0.0.1';
  let mode: ProxyMode = 'forward';
  let latencyMs = 0;
  const pairs = new Set<Pair>();

  // Bytes held back while black-holed, per direction, flushed in order when forwarding resumes:
  // like a SIGSTOPped host, whose kernel keeps accepting and buffering until it wakes up.
  const held = new Map<Socket, Buffer[]>();
  const waiting = new Set<() => void>();

  const send = (to: Socket, chunk: Buffer): void => {
    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, latencyMs);
      timer.unref();
    } else if (!to.destroyed) to.write(chunk);
  };
  const relay = (from: Socket, to: () => Socket | undefined): void => {
    from.on('data', (chunk: Buffer) => {
      const target = to();
      if (mode === 'blackhole' || !target) {
        const queue = held.get(from) ?? [];
        queue.push(chunk);
        held.set(from, queue);
        return;
      }
      send(target, chunk);
    });
  };
  const flush = (from: Socket, to: Socket | undefined): void => {
    const queue = held.get(from);
    held.delete(from);
    if (to) for (const chunk of queue ?? []) send(to, chunk);
  };

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      held.delete(client);
      if (pair.upstream) held.delete(pair.upstream);
      if (!client.destroyed) client.destroy();
      if (pair.upstream && !pair.upstream.destroyed) pair.upstream.destroy();
    };
    client.on('close', close);
    relay(client, () => pair.upstream);
    const dial = () => {
      if (client.destroyed || pair.upstream) return;
      const upstream = createConnection({ host: targetHost, port: opts.targetPort });
      pair.upstream = upstream;
      upstream.on('error', () => close());
      upstream.on('close', close);
      relay(upstream, () => client);
      upstream.once('connect', () => flush(client, upstream));
    };
    // Black-holed: the client's connect succeeds, then silence; the upstream is dialled only
    // once forwarding resumes.
    if (mode === 'blackhole') waiting.add(dial);
    else dial();
  });
  const resume = (): void => {
    for (const dial of [...waiting]) {
      waiting.delete(dial);
      dial();
    }
    for (const p of pairs) {
      if (p.upstream && !p.upstream.connecting) flush(p.client, p.upstream);
      if (p.upstream) flush(p.upstream, p.client);
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const each = (fn: (s: Socket) => void): number => {
    const n = pairs.size;
    waiting.clear();
    held.clear();
    for (const p of [...pairs]) {
      fn(p.client);
      if (p.upstream) fn(p.upstream);
      pairs.delete(p);
    }
    return n;
  };

  let stopped: Promise<void> | undefined;
  return {
    port,
    get mode() {
      return mode;
    },
    forward: () => {
      mode = 'forward';
      resume();
    },
    blackhole: () => {
      mode = 'blackhole';
    },
    refuse: () => {
      mode = 'refuse';
      resume();
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    resetAll: () => each((s) => (s.destroyed ? undefined : s.resetAndDestroy())),
    cutAll: () => each((s) => s.end()),
    openConnections: () => pairs.size,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        each((s) => s.destroy());
        server.close(() => resolve());
      })),
  };
}
