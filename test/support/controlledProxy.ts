import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'down' | 'slow' | 'garbage';

/**
 * Stands between the gateway and one real subgraph, to make it fail on
 * demand (refuse, hang, answer garbage) and to see what the gateway sends.
 */
export async function controlledProxy(target: string) {
  const state = { mode: 'pass' as ProxyMode, slowMs: 3000, seen: [] as IncomingHttpHeaders[], calls: 0 };
  const url = new URL(target);
  const server = createServer((req, res) => {
    state.calls++;
    state.seen.push(req.headers);
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (state.mode === 'garbage') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
      return;
    }
    const forward = () => {
      const upstream = request(
        { hostname: url.hostname, port: url.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (state.mode === 'slow') setTimeout(forward, state.slowMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    url: `http://127.0.0.1:${port}${url.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
