import { createServer, type AddressInfo } from 'node:net';

/** A loopback port free now. Its own module, so a bench child (the bare route) takes nothing of Herald in with it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
