import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given over a TCP socket (inject() and HTTP clients normalise request
 * targets) and resolves with the first response as soon as it is complete — without waiting for
 * the server to read the rest of the request, which `bodyPrefix` may leave unsent.
 */
export function rawHttpRequest(port: number, head: string, bodyPrefix = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head + bodyPrefix));
    let received = Buffer.alloc(0);
    const finish = (response: RawResponse) => {
      socket.destroy();
      resolve(response);
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      const body = received.subarray(end + 4);
      if (body.length >= length) finish({ status: Number(statusLine!.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') });
    });
    socket.on('error', reject);
    socket.on('end', () => reject(new Error(`connection closed before a complete response: ${received.toString('latin1').slice(0, 200)}`)));
  });
}

/** A GET of `target` (origin-form, absolute-form or anything else) with the given extra header lines. */
export function rawGet(port: number, target: string, headerLines: string[] = []): Promise<RawResponse> {
  return rawHttpRequest(port, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headerLines, 'Connection: close', '', ''].join('\r\n'));
}
