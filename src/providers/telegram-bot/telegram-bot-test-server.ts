import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the Telegram Bot API (`sendMessage`, `deleteMessage`) for tests: checks the token
 * in the path, the JSON body field by field, the chat, and parses the MarkdownV2 text the
 * way Telegram does (a port of tdlib's parse_markdown_v2), so an unescaped reserved
 * character is the same 400 "can't parse entities" Telegram answers. Errors are
 * `{"ok":false,"error_code":N,"description":..}` with HTTP status N, like the Bot API.
 */

export interface TelegramEntity {
  type: 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code' | 'pre' | 'text_link' | 'custom_emoji' | 'blockquote';
  /** In UTF-16 code units of the parsed text, as the Bot API counts. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export type MarkdownV2Parse = { ok: true; text: string; entities: TelegramEntity[] } | { ok: false; description: string };

const RESERVED_OUTSIDE_CODE = '_*[]()~`>#+-=|{}.!';
const TYPE_NAMES: Record<TelegramEntity['type'], string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
  blockquote: 'BlockQuote',
};

interface OpenEntity {
  type: TelegramEntity['type'];
  offset: number;
  byteOffset: number;
  language?: string;
}

/**
 * Telegram's MarkdownV2 parser: `\` escapes any ASCII character; outside code every
 * reserved character either opens or closes an entity or is an error; inside code and
 * pre only `` ` `` is special; a link's `(url)` runs to the first unescaped `)`.
 * A `>` at the start of a line opens a quote. Empty entities are dropped.
 */
export function parseTelegramMarkdownV2(source: string): MarkdownV2Parse {
  const fail = (reason: string): MarkdownV2Parse => ({ ok: false, description: `Bad Request: can't parse entities: ${reason}` });
  const byteOffset = (index: number) => Buffer.byteLength(source.slice(0, index));
  let text = '';
  const entities: TelegramEntity[] = [];
  const open: OpenEntity[] = [];
  let quoteStart: number | undefined;
  const closeQuote = (end: number) => {
    if (quoteStart !== undefined && end > quoteStart) entities.push({ type: 'blockquote', offset: quoteStart, length: end - quoteStart });
    quoteStart = undefined;
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    const next = source[i + 1] ?? '';
    const innermost = open.at(-1)?.type;
    const inCode = innermost === 'code' || innermost === 'pre';
    const lineStart = i === 0 || source[i - 1] === '\n';

    // A quote ends with the last line starting with `>`; its line break is not part of it.
    if (lineStart && !inCode && quoteStart !== undefined && char !== '>') closeQuote(text.endsWith('\n') ? text.length - 1 : text.length);
    if (char === '\\' && next !== '' && next.charCodeAt(0) > 0 && next.charCodeAt(0) <= 126) {
      text += next;
      i++;
      continue;
    }
    if (lineStart && !inCode && char === '>') {
      quoteStart ??= text.length;
      continue;
    }
    const reserved = inCode ? '`' : RESERVED_OUTSIDE_CODE;
    if (!reserved.includes(char)) {
      text += char;
      continue;
    }

    const closes = (() => {
      switch (innermost) {
        case 'bold':
          return char === '*';
        case 'italic':
          return char === '_' && next !== '_';
        case 'underline':
          return char === '_' && next === '_';
        case 'strikethrough':
          return char === '~';
        case 'spoiler':
          return char === '|' && next === '|';
        case 'code':
          return char === '`';
        case 'pre':
          return source.startsWith('```', i);
        case 'text_link':
        case 'custom_emoji':
          return char === ']';
        default:
          return false;
      }
    })();

    if (!closes) {
      const start = i;
      let type: TelegramEntity['type'];
      let language: string | undefined;
      switch (char) {
        case '_':
          type = next === '_' ? 'underline' : 'italic';
          if (type === 'underline') i++;
          break;
        case '*':
          type = 'bold';
          break;
        case '~':
          type = 'strikethrough';
          break;
        case '|':
          if (next !== '|') return fail(`Character '|' is reserved and must be escaped with the preceding '\\'`);
          type = 'spoiler';
          i++;
          break;
        case '[':
          type = 'text_link';
          break;
        case '!':
          if (next !== '[') return fail(`Character '!' is reserved and must be escaped with the preceding '\\'`);
          type = 'custom_emoji';
          i++;
          break;
        case '`':
          if (source.startsWith('```', i)) {
            type = 'pre';
            i += 3;
            let languageEnd = i;
            while (languageEnd < source.length && !/\s/.test(source[languageEnd]) && source[languageEnd] !== '`') languageEnd++;
            if (languageEnd !== i && languageEnd < source.length && source[languageEnd] !== '`') {
              language = source.slice(i, languageEnd);
              i = languageEnd;
            }
            // One line break after the opening fence is not part of the code.
            if (source[i] === '\n' || source[i] === '\r') i += (source[i + 1] === '\n' || source[i + 1] === '\r') && source[i] !== source[i + 1] ? 2 : 1;
            i--;
          } else {
            type = 'code';
          }
          break;
        default:
          return fail(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
      }
      open.push({ type, offset: text.length, byteOffset: byteOffset(start), language });
      continue;
    }

    const entity = open.pop()!;
    const entry: TelegramEntity = { type: entity.type, offset: entity.offset, length: text.length - entity.offset };
    if (entity.type === 'underline' || entity.type === 'spoiler') i++;
    if (entity.type === 'pre') {
      i += 2;
      if (entity.language !== undefined) entry.language = entity.language;
    }
    if (entity.type === 'text_link' || entity.type === 'custom_emoji') {
      let url = '';
      if (next !== '(') {
        url = text.slice(entity.offset);
      } else {
        i += 2;
        const urlStart = i;
        while (i < source.length && source[i] !== ')') {
          if (source[i] === '\\' && i + 1 < source.length && source.charCodeAt(i + 1) <= 126) {
            url += source[i + 1];
            i += 2;
          } else {
            url += source[i++];
          }
        }
        if (source[i] !== ')') return fail(`Can't find end of a URL at byte offset ${byteOffset(urlStart)}`);
      }
      // Telegram drops a link entity whose URL it cannot use, keeping the text.
      if (!isUsableUrl(url, entity.type)) continue;
      entry.url = url;
    }
    if (entry.length > 0) entities.push(entry);
  }
  if (open.length > 0) {
    const unclosed = open.at(-1)!;
    return fail(`Can't find end of ${TYPE_NAMES[unclosed.type]} entity at byte offset ${unclosed.byteOffset}`);
  }
  closeQuote(text.length);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

function isUsableUrl(url: string, type: TelegramEntity['type']): boolean {
  try {
    const parsed = new URL(url);
    return type === 'custom_emoji' ? parsed.protocol === 'tg:' : ['http:', 'https:', 'tg:', 'mailto:'].includes(parsed.protocol);
  } catch {
    return false;
  }
}

export interface TelegramTestChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  /** A public chat's @username, without the @. */
  username?: string;
  /** The user blocked the bot (private chats): 403. */
  blockedBot?: boolean;
}

export interface AcceptedTelegramMessage {
  chatId: number;
  messageId: number;
  /** The request body as sent. */
  body: Record<string, unknown>;
  /** The text after MarkdownV2 parsing, and its entities, as Telegram stores them. */
  text: string;
  entities: TelegramEntity[];
  sentAtMs: number;
  deleted: boolean;
}

export type TelegramTestServerMode = 'normal' | 'transient-error' | 'server-error' | 'invalid-json' | 'hang';

export interface TelegramBotTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  readonly accepted: readonly AcceptedTelegramMessage[];
  /** `transient-error`: HTTP 502 from the front proxy (HTML); `server-error`: the Bot API's own 500 JSON. */
  setMode(mode: TelegramTestServerMode): void;
  close(): Promise<void>;
}

export interface TelegramBotTestServerOptions {
  botToken: string;
  chats: readonly TelegramTestChat[];
  clock?: Clock;
  /** Answer 429 with retry_after beyond this many messages per window (any chat). */
  throttle?: { count: number; perSeconds: number };
}

const MAX_TEXT_LENGTH = 4096;
const DELETE_WINDOW_MS = 48 * 60 * 60_000;
const SEND_MESSAGE_FIELDS = new Set(['chat_id', 'text', 'parse_mode', 'link_preview_options', 'disable_notification']);
const PUBLIC_USERNAME = /^@[A-Za-z][A-Za-z0-9_]{3,31}$/;

export async function startTelegramBotTestServer(options: TelegramBotTestServerOptions): Promise<TelegramBotTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: TelegramTestServerMode = 'normal';
  let requestCount = 0;
  const accepted: AcceptedTelegramMessage[] = [];
  const nextMessageId = new Map<number, number>();

  const reply = (response: ServerResponse, status: number, body: Record<string, unknown>): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const error = (response: ServerResponse, errorCode: number, description: string, parameters?: Record<string, unknown>): void =>
    reply(response, errorCode, { ok: false, error_code: errorCode, description, ...(parameters ? { parameters } : {}) });

  const findChat = (chatId: unknown): TelegramTestChat | undefined => {
    if (typeof chatId === 'number') return options.chats.find((chat) => chat.id === chatId);
    if (typeof chatId !== 'string') return undefined;
    if (/^-?\d+$/.test(chatId)) return options.chats.find((chat) => chat.id === Number(chatId));
    if (PUBLIC_USERNAME.test(chatId)) return options.chats.find((chat) => chat.username !== undefined && `@${chat.username}`.toLowerCase() === chatId.toLowerCase());
    return undefined;
  };

  const retryAfterSeconds = (): number | undefined => {
    if (!options.throttle) return undefined;
    const windowMs = options.throttle.perSeconds * 1000;
    const recent = accepted.filter((message) => message.sentAtMs > clock.now() - windowMs);
    if (recent.length < options.throttle.count) return undefined;
    return Math.max(1, Math.ceil((recent[0].sentAtMs + windowMs - clock.now()) / 1000));
  };

  function sendMessage(body: Record<string, unknown>, response: ServerResponse): void {
    const unknownField = Object.keys(body).find((field) => !SEND_MESSAGE_FIELDS.has(field));
    if (unknownField) return error(response, 400, `Bad Request: unexpected field ${unknownField}`);
    if (typeof body.chat_id !== 'string' && !Number.isInteger(body.chat_id)) return error(response, 400, 'Bad Request: chat_id is empty');
    if (typeof body.text !== 'string') return error(response, 400, 'Bad Request: message text is empty');
    if (body.parse_mode !== 'MarkdownV2') return error(response, 400, `Bad Request: unsupported parse_mode ${JSON.stringify(body.parse_mode)}`);
    const preview = body.link_preview_options;
    if (preview !== undefined) {
      const fields = typeof preview === 'object' && preview !== null ? Object.entries(preview) : [];
      if (fields.length !== 1 || fields[0][0] !== 'is_disabled' || typeof fields[0][1] !== 'boolean') {
        return error(response, 400, "Bad Request: can't parse link preview options");
      }
    }
    if (body.disable_notification !== undefined && typeof body.disable_notification !== 'boolean') return error(response, 400, 'Bad Request: disable_notification must be a boolean');

    const chat = findChat(body.chat_id);
    if (!chat) return error(response, 400, 'Bad Request: chat not found');
    if (chat.blockedBot) return error(response, 403, 'Forbidden: bot was blocked by the user');
    const parsed = parseTelegramMarkdownV2(body.text);
    if (!parsed.ok) return error(response, 400, parsed.description);
    // Telegram trims the parsed text; what is left must be 1-4096 characters.
    if (parsed.text.trim() === '') return error(response, 400, 'Bad Request: message text is empty');
    if (parsed.text.length > MAX_TEXT_LENGTH) return error(response, 400, 'Bad Request: message is too long');
    const wait = retryAfterSeconds();
    if (wait !== undefined) return error(response, 429, `Too Many Requests: retry after ${wait}`, { retry_after: wait });

    const messageId = (nextMessageId.get(chat.id) ?? 0) + 1;
    nextMessageId.set(chat.id, messageId);
    accepted.push({ chatId: chat.id, messageId, body, text: parsed.text, entities: parsed.entities, sentAtMs: clock.now(), deleted: false });
    const chatObject = { id: chat.id, type: chat.type, ...(chat.username ? { username: chat.username } : {}) };
    reply(response, 200, {
      ok: true,
      result: {
        message_id: messageId,
        date: Math.floor(clock.now() / 1000),
        chat: chatObject,
        text: parsed.text,
        ...(parsed.entities.length > 0 ? { entities: parsed.entities } : {}),
      },
    });
  }

  function deleteMessage(body: Record<string, unknown>, response: ServerResponse): void {
    const unknownField = Object.keys(body).find((field) => field !== 'chat_id' && field !== 'message_id');
    if (unknownField) return error(response, 400, `Bad Request: unexpected field ${unknownField}`);
    if (!Number.isInteger(body.message_id)) return error(response, 400, 'Bad Request: message identifier is not specified');
    const chat = findChat(body.chat_id);
    if (!chat) return error(response, 400, 'Bad Request: chat not found');
    const message = accepted.find((candidate) => candidate.chatId === chat.id && candidate.messageId === body.message_id && !candidate.deleted);
    if (!message) return error(response, 400, 'Bad Request: message to delete not found');
    if (clock.now() - message.sentAtMs > DELETE_WINDOW_MS) return error(response, 400, "Bad Request: message can't be deleted for everyone");
    message.deleted = true;
    reply(response, 200, { ok: true, result: true });
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
    if (mode === 'server-error') return error(response, 500, 'Internal Server Error');
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(request.url ?? '/', 'http://telegram.test').pathname);
    if (!match) return error(response, 404, 'Not Found');
    const [, token, method] = match;
    if (decodeURIComponent(token) !== options.botToken) return error(response, 401, 'Unauthorized');
    if (request.method !== 'POST') return error(response, 405, 'Method Not Allowed');
    if (!String(request.headers['content-type']).startsWith('application/json')) return error(response, 400, 'Bad Request: expected a JSON body');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return error(response, 400, "Bad Request: can't parse JSON");
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(response, 400, 'Bad Request: expected a JSON object');
    if (method === 'sendMessage') return sendMessage(body as Record<string, unknown>, response);
    if (method === 'deleteMessage') return deleteMessage(body as Record<string, unknown>, response);
    error(response, 404, 'Not Found: method not found');
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    accepted,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}
