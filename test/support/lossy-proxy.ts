import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of a server that can lose answers: for the connections `drop`
 * selects, the request reaches the server but the connection is cut as its answer comes back, as
 * when a network fails after the server committed. `answerWith` answers instead of the server.
 */
export async function startLossyProxy(
  target: { host: string; port: number },
  rules: { drop?: (connection: number) => boolean; answerWith?: (connection: number) => string | undefined } = {},
): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const connection = ++count;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const canned = rules.answerWith?.(connection);
    if (canned !== undefined) {
      client.once('data', () => client.end(canned));
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    if (rules.drop?.(connection)) {
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
    } else {
      upstream.pipe(client);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => count,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
