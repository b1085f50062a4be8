import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A loopback SMTP server for tests: records each accepted message's envelope and raw MIME. */

export type SmtpTestServerMode = 'normal' | 'transient-error' | 'permanent-error' | 'hang';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message exactly as transmitted after DATA. */
  raw: Buffer;
}

export interface SmtpTestServer {
  readonly port: number;
  /** MAIL FROM commands seen, accepted or not. */
  readonly requestCount: number;
  /** TCP sessions opened by clients. */
  readonly connectionCount: number;
  readonly received: readonly ReceivedMail[];
  /** `transient-error`: RCPT gets 451; `permanent-error`: RCPT gets 550; `hang`: MAIL FROM never answered. */
  setMode(mode: SmtpTestServerMode): void;
  close(): Promise<void>;
}

export interface SmtpTestServerOptions {
  /** Require AUTH with these credentials; a wrong password gets 535. */
  auth?: { user: string; password: string };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  let mode: SmtpTestServerMode = 'normal';
  let requestCount = 0;
  let connectionCount = 0;
  const received: ReceivedMail[] = [];
  const { auth } = options;

  const server = new SMTPServer({
    logger: false,
    // Plaintext on loopback: the accounts under test use starttls 'disabled'.
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    onConnect(_session, callback) {
      connectionCount++;
      callback();
    },
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password) return callback(null, { user: auth.user });
      callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      requestCount++;
      if (mode !== 'hang') callback();
    },
    onRcptTo(_address, _session, callback) {
      if (mode === 'transient-error') return callback(smtpError(451, '4.3.0 Mailbox temporarily unavailable, try again later'));
      if (mode === 'permanent-error') return callback(smtpError(550, '5.1.1 No such user here'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, `2.0.0 queued as test-${received.length}`);
      });
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    get requestCount() {
      return requestCount;
    },
    get connectionCount() {
      return connectionCount;
    },
    received,
    setMode(next) {
      mode = next;
    },
    async close() {
      // smtp-server would otherwise wait its close timeout for hung sessions.
      for (const connection of server.connections) connection.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
