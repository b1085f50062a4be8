import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { updateGoldens } from '../../../test/support/test-environment.ts';
import { parseTelegramMarkdownV2, type TelegramEntity } from '../../providers/telegram-bot/telegram-bot-test-server.ts';
import { renderForChannel } from '../render-message.ts';
import {
  TELEGRAM_LINE_START,
  TELEGRAM_RESERVED,
  TELEGRAM_URL_QUERY,
  telegramReservedContent,
  telegramReservedData,
  telegramReservedVariables,
} from './telegram-reserved-characters.ts';

/**
 * Golden test for Telegram MarkdownV2: user data with every reserved character, in every
 * position, rendered byte for byte as reviewed in ./expected, and read back by a parser
 * that works as Telegram's does (the test server's): it must parse, and each value must
 * come back verbatim inside the entity it was placed in. Rewrite the golden file with
 * `UPDATE_GOLDEN=1 node --test src/templates/golden/telegram-markdown-v2.test.ts`.
 */
const goldenFile = new URL('./expected/telegram-reserved-characters.golden.txt', import.meta.url);

const markdown = renderForChannel({
  templateCode: 'telegram.reserved',
  content: telegramReservedContent,
  variables: telegramReservedVariables,
  data: telegramReservedData,
  channel: 'telegram',
}).markdown;

const parsed = parseTelegramMarkdownV2(markdown);

function entityText(entity: TelegramEntity): string {
  assert.ok(parsed.ok);
  return parsed.text.slice(entity.offset, entity.offset + entity.length);
}

function entitiesOf(type: TelegramEntity['type']): TelegramEntity[] {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.description);
  return parsed.entities.filter((entity) => entity.type === type);
}

describe('golden: Telegram MarkdownV2 escapes every reserved character of user data', () => {
  test('matches telegram-reserved-characters.golden.txt', () => {
    if (updateGoldens) {
      mkdirSync(new URL('./expected/', import.meta.url), { recursive: true });
      writeFileSync(goldenFile, `${markdown}\n`);
    }
    assert.equal(`${markdown}\n`, readFileSync(goldenFile, 'utf8'));
  });

  test('Telegram parses it, and the plain text holds each value verbatim where it was placed', () => {
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.description);
    const lines = parsed.text.split('\n');
    for (const label of ['Heading ', 'Text: ', 'Bold: ', 'Italic: ', 'Struck: ', 'Code: ', 'Link text: ', '• item ', 'quote ']) {
      assert.ok(lines.includes(`${label}${TELEGRAM_RESERVED}`), `${label}: ${JSON.stringify(lines)}`);
    }
    assert.ok(lines.includes(TELEGRAM_LINE_START), 'a value at the start of a line starts no quote, heading or list');
  });

  test('outside entities and inside bold, italic, strikethrough and quotes all 18 characters and \\ are escaped', () => {
    const escapedEverywhere = [...TELEGRAM_RESERVED].map((char) => `\\${char}`).join('');
    assert.equal(markdown.split(escapedEverywhere).length - 1, 8, 'heading, text, bold, italic, strikethrough, link text, list item, quote');
    assert.deepEqual(entitiesOf('bold').map(entityText), [`Heading ${TELEGRAM_RESERVED}`, TELEGRAM_RESERVED]);
    assert.deepEqual(entitiesOf('italic').map(entityText), [TELEGRAM_RESERVED]);
    assert.deepEqual(entitiesOf('strikethrough').map(entityText), [TELEGRAM_RESERVED]);
    assert.deepEqual(entitiesOf('blockquote').map(entityText), [`quote ${TELEGRAM_RESERVED}`]);
  });

  test('inside code and pre only ` and \\ are escaped', () => {
    const inCode = TELEGRAM_RESERVED.replace(/[`\\]/g, '\\$&');
    assert.ok(markdown.includes(`Code: \`${inCode}\``));
    assert.ok(markdown.includes(`\`\`\`\n${inCode}\n\`\`\``));
    assert.deepEqual(entitiesOf('code').map(entityText), [TELEGRAM_RESERVED]);
    assert.deepEqual(entitiesOf('pre').map(entityText), [`${TELEGRAM_RESERVED}\n`]);
  });

  test('inside a link URL only ) and \\ are escaped; the link text is escaped like text', () => {
    assert.ok(markdown.includes(`(https://example.com/search?q=${TELEGRAM_URL_QUERY.replace(/[)\\]/g, '\\$&')})`));
    const links = entitiesOf('text_link');
    assert.deepEqual(
      links.map((link) => [entityText(link), link.url]),
      [
        [TELEGRAM_RESERVED, 'https://example.com/help'],
        ['search', `https://example.com/search?q=${TELEGRAM_URL_QUERY}`],
      ],
    );
  });

  test('each reserved character alone, as a value, comes back verbatim', () => {
    for (const char of TELEGRAM_RESERVED) {
      const rendered = renderForChannel({
        templateCode: 'telegram.char',
        content: { title: 't', defaultLocale: 'en', body: 'a{{ v }}b **{{ v }}** {{ v }}' },
        data: { v: char },
        channel: 'telegram',
      }).markdown;
      const result = parseTelegramMarkdownV2(rendered);
      assert.ok(result.ok, `${char}: ${rendered}`);
      assert.equal(result.text, `a${char}b ${char} ${char}`, char);
    }
  });

  test("the parser is strict: any reserved character left unescaped outside entities is Telegram's 400", () => {
    for (const char of '_*[]()~`>#+-=|{}.!') {
      const result = parseTelegramMarkdownV2(`x ${char} y`);
      assert.equal(result.ok, false, char);
    }
    assert.deepEqual(parseTelegramMarkdownV2('Total 1.5'), {
      ok: false,
      description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    assert.deepEqual(parseTelegramMarkdownV2('*open'), { ok: false, description: "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0" });
    assert.deepEqual(parseTelegramMarkdownV2('[x](https://a.example/'), {
      ok: false,
      description: "Bad Request: can't parse entities: Can't find end of a URL at byte offset 4",
    });
  });
});
