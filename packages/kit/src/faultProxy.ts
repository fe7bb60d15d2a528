import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP link that fails on demand, put between a process and its PostgreSQL
 * or Redis by tests and drills: `hang()` stops carrying bytes while every
 * socket stays open (a partition, a frozen peer), `cut()` resets every
 * connection and refuses new ones (a server gone), `pass()` heals the link;
 * bytes held during a hang are delivered then, as TCP would after a partition.
 */
export interface FaultProxy {
  readonly port: number;
  readonly state: 'pass' | 'hang' | 'cut';
  /** `url` (postgres://, redis://) with its host and port replaced by the proxy's. */
  through(url: string): string;
  pass(): void;
  hang(): void;
  cut(): void;
  /** Resets the open connections once; new ones are served as the state says. */
  reset(): void;
  /** Connections opened through the proxy so far. */
  readonly opened: number;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream?: Socket;
  /** Bytes read while hung, per direction, delivered on `pass()`. */
  held: { up: Buffer[]; down: Buffer[] };
}

export async function faultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let state: FaultProxy['state'] = 'pass';
  let opened = 0;
  const links = new Set<Link>();

  const drop = (link: Link) => {
    links.delete(link);
    link.client.destroy();
    link.upstream?.destroy();
  };
  // A chunk goes through at once while passing; while hung it is held and the sender paused.
  const carry = (link: Link, from: Socket, to: () => Socket | undefined, held: Buffer[]) => {
    from.on('data', (chunk: Buffer) => {
      const dest = to();
      if (state !== 'pass' || !dest || dest.connecting) {
        held.push(chunk);
        from.pause();
        return;
      }
      if (!dest.write(chunk)) {
        from.pause();
        dest.once('drain', () => state === 'pass' && from.resume());
      }
    });
    from.on('error', () => drop(link));
    from.on('close', () => drop(link));
  };
  const open = (link: Link) => {
    const upstream = connect(target.port, target.host);
    link.upstream = upstream;
    upstream.on('connect', () => state === 'pass' && flush(link));
    carry(link, upstream, () => link.client, link.held.down);
  };
  const flush = (link: Link) => {
    if (!link.upstream) return open(link);
    if (link.upstream.connecting) return;
    for (const chunk of link.held.up.splice(0)) link.upstream.write(chunk);
    for (const chunk of link.held.down.splice(0)) link.client.write(chunk);
    link.client.resume();
    link.upstream.resume();
  };

  const server = createServer((client) => {
    opened++;
    if (state === 'cut') {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, held: { up: [], down: [] } };
    links.add(link);
    carry(link, client, () => link.upstream, link.held.up);
    // While hung, a new connection is accepted and left waiting (as a SYN into a partition would).
    if (state === 'pass') open(link);
    else client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const reset = () => {
    for (const link of [...links]) {
      links.delete(link);
      link.client.on('error', () => undefined);
      link.client.resetAndDestroy();
      link.upstream?.destroy();
    }
  };
  return {
    port,
    get state() {
      return state;
    },
    get opened() {
      return opened;
    },
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    pass() {
      state = 'pass';
      for (const link of links) flush(link);
    },
    hang() {
      state = 'hang';
      for (const link of links) {
        link.client.pause();
        link.upstream?.pause();
      }
    },
    cut() {
      state = 'cut';
      reset();
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        reset();
        server.close(() => resolve());
      }),
  };
}
