import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface Backend {
  name: string;
  port: number;
}

/**
 * Two gateways behind one port, as a TCP load balancer puts them: each new
 * connection goes to the next backend whose `/ready` answered 200 at the last
 * check (every 200 ms), and to another if the connection is refused. Kept-alive
 * connections stay with their backend until it closes them (a draining gateway
 * answers with `Connection: close`).
 */
export async function balancer(backends: Backend[]): Promise<{ port: number; close(): Promise<void> }> {
  const ready = new Map(backends.map((b) => [b.name, true]));
  let next = 0;
  const sockets = new Set<Socket>();
  const check = async () => {
    await Promise.all(
      backends.map(async (b) => {
        const ok = await fetch(`http://127.0.0.1:${b.port}/ready`, { signal: AbortSignal.timeout(500) }).then(
          (res) => res.status === 200,
          () => false,
        );
        ready.set(b.name, ok);
      }),
    );
  };
  const timer = setInterval(() => void check(), 200);

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.pause();
    const healthy = backends.filter((b) => ready.get(b.name));
    const order = (healthy.length ? healthy : backends).map((_, i, list) => list[(next + i) % list.length]!);
    next++;
    const attempt = (i: number) => {
      const backend = order[i];
      if (!backend || client.destroyed) return client.destroy();
      const upstream = connect(backend.port, '127.0.0.1');
      upstream.once('error', () => {
        // Refused (stopped listening) before any byte went through: the next backend gets the connection.
        if (upstream.bytesWritten === 0 && upstream.bytesRead === 0) attempt(i + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.end();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
