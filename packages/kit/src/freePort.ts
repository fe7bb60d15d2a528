import { createServer } from 'node:net';

/**
 * A free port below Linux's ephemeral range (32768+): tests running alongside
 * bind port 0 and get ephemeral ports, so they cannot take this one between
 * the check and the launcher's bind.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
