import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type nodemailerModule from 'nodemailer';
import { Type, type Static } from 'typebox';
import { isEmailAddress } from '../../channels/address-kinds.ts';
import { invalid } from '../../errors.ts';
import { lazyRequire } from '../../lazy-require.ts';
import { connectGuardedSocket } from '../outbound-http.ts';
import { outcomeFromNetworkError } from '../outcome-classification.ts';
import type { ProviderDefinition, SendOutcome } from '../provider.ts';
import { parseMailbox, type Mailbox } from './mailbox.ts';

const nodemailer = lazyRequire<typeof nodemailerModule>('nodemailer');

/** E-mail over any SMTP server, one connection pool per account. */

export const smtpConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'SMTP server host name or IP address' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Default 465 when secure, otherwise 587' })),
    secure: Type.Optional(Type.Boolean({ description: 'Implicit TLS from the first byte (SMTPS, usually port 465). Default false' })),
    starttls: Type.Optional(
      Type.Union([Type.Literal('required'), Type.Literal('opportunistic'), Type.Literal('disabled')], {
        description: 'STARTTLS on a non-secure connection. Default required: never send credentials or mail in plaintext',
      }),
    ),
    user: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1 })),
    from: Type.String({ minLength: 3, description: '"sender@example.com" or "Name <sender@example.com>"' }),
    replyTo: Type.Optional(Type.String({ minLength: 3 })),
    connectionTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, description: 'Connect and greeting limit. Default 10000' })),
    socketTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, description: 'Inactivity limit on an open connection. Default 60000' })),
  },
  { additionalProperties: false },
);

export type SmtpConfig = Static<typeof smtpConfigSchema>;

function mailboxField(config: SmtpConfig, field: 'from' | 'replyTo'): Mailbox | undefined {
  const value = config[field];
  if (value === undefined) return undefined;
  const mailbox = parseMailbox(value);
  if (!mailbox) {
    throw invalid('SMTP_ADDRESS_INVALID', `${field}: "${value}" is not "user@example.com" or "Name <user@example.com>"`, { field });
  }
  return mailbox;
}

/**
 * The same Message-ID for every attempt of a delivery, so a resend after a lost SMTP reply
 * is recognisable (and collapsed by many mail clients). Hashed: dedup keys may hold any character.
 */
export function messageIdForDedupKey(dedupKey: string, senderDomain: string): string {
  return `<${createHash('sha256').update(dedupKey).digest('hex').slice(0, 32)}.herald@${senderDomain}>`;
}

// Nodemailer codes for a problem with the account or the message rather than the connection.
const permanentNodemailerCodes = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS']);

export function outcomeFromSmtpError(error: unknown): SendOutcome {
  const { responseCode, code, message } = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof responseCode === 'number') {
    // RFC 5321: 4yz is transient, 5yz permanent, except 503 (bad command sequence): the session
    // was out of step, the message was not refused, so a new connection can deliver it.
    const permanent = responseCode >= 500 && responseCode !== 503;
    return { kind: permanent ? 'failed' : 'retry', code: `SMTP_${responseCode}`, message: text };
  }
  if (typeof code === 'string' && permanentNodemailerCodes.has(code)) {
    return { kind: 'failed', code: `SMTP_${code.slice(1)}`, message: text };
  }
  return outcomeFromNetworkError(error);
}

export const smtpProvider: ProviderDefinition<SmtpConfig> = {
  type: 'smtp',
  channel: 'email',
  target: 'address',
  configSchema: smtpConfigSchema,
  secretFields: ['password'],

  validateConfig(config) {
    const host = config.host.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(host)) {
      throw invalid('SMTP_HOST_INVALID', `host: "${config.host}" is not a host name or IP address (no scheme or port)`, { field: 'host' });
    }
    if ((config.user === undefined) !== (config.password === undefined)) {
      throw invalid('SMTP_CREDENTIALS_INCOMPLETE', 'user and password: set both, or neither for a server without authentication', {
        field: config.user === undefined ? 'user' : 'password',
      });
    }
    mailboxField(config, 'from');
    mailboxField(config, 'replyTo');
  },

  createSender({ config }, { outboundPolicy, connectTimeoutMs }) {
    const from = mailboxField(config, 'from')!;
    const replyTo = mailboxField(config, 'replyTo');
    const senderDomain = from.address.slice(from.address.lastIndexOf('@') + 1);
    const secure = config.secure ?? false;
    const starttls = config.starttls ?? 'required';
    const connectionTimeoutMs = config.connectionTimeoutMs ?? 10_000;
    const transporter = nodemailer().createTransport({
      pool: true,
      host: config.host,
      port: config.port ?? (secure ? 465 : 587),
      secure,
      requireTLS: !secure && starttls === 'required',
      ignoreTLS: !secure && starttls === 'disabled',
      auth: config.user === undefined ? undefined : { user: config.user, pass: config.password },
      connectionTimeout: connectionTimeoutMs,
      greetingTimeout: connectionTimeoutMs,
      socketTimeout: config.socketTimeoutMs ?? 60_000,
      // Content comes from templates: never let it pull in local files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    // nodemailer would connect by itself; this routes every pooled connection through the SSRF guard.
    transporter.getSocket = (options, callback) => {
      connectGuardedSocket(outboundPolicy, { host: options.host ?? config.host, port: options.port ?? 587, timeoutMs: Math.min(connectTimeoutMs, connectionTimeoutMs) }).then(
        (connection) => callback(null, { connection }),
        (error: Error) => callback(error),
      );
    };

    return {
      async send(request, context): Promise<SendOutcome> {
        const to = request.address;
        if (to === null || !isEmailAddress(to)) {
          return { kind: 'failed', code: 'INVALID_ADDRESS', message: `"${to}" is not an e-mail address` };
        }
        const { content } = request;
        try {
          const info = await transporter.sendMail({
            from,
            to,
            replyTo,
            subject: content.title,
            text: content.text,
            html: content.html,
            messageId: messageIdForDedupKey(request.dedupKey, senderDomain),
            headers: { 'X-Herald-Delivery-Id': request.deliveryId },
            signal: context.signal,
          });
          return { kind: 'sent', providerMessageId: info.messageId };
        } catch (error) {
          return outcomeFromSmtpError(error);
        }
      },
      async close() {
        transporter.close();
      },
    };
  },
};
