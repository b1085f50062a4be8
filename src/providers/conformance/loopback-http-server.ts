import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The plumbing of the providers' fake HTTP APIs: listen on 127.0.0.1, buffer bodies, close hung sockets. */

export type LoopbackRequestHandler = (request: IncomingMessage, rawBody: Buffer, response: ServerResponse) => void;

export interface LoopbackHttpServer {
  readonly port: number;
  readonly origin: string;
  /** Also ends requests the handler left unanswered on purpose. */
  close(): Promise<void>;
}

export async function startLoopbackHttpServer(handler: LoopbackRequestHandler): Promise<LoopbackHttpServer> {
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      handler(request, Buffer.concat(chunks), response);
    } catch (error) {
      response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
