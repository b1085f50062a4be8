import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CHANNELS, type ChannelName } from '../../channels/channel-catalog.ts';
import type { RenderedMessage } from '../../providers/provider.ts';
import { createTemplateCompiler } from '../template-compiler.ts';
import { validateRender } from '../render-message.ts';
import { orderPaidContent, orderPaidData, orderPaidVariables } from './order-paid-template.ts';
import { updateGoldens } from '../../../test/support/test-environment.ts';

/**
 * Golden tests: the order-paid template rendered for every channel of the catalog and compared,
 * byte for byte, with reviewed files in ./expected. After an intended change, rewrite
 * them with `UPDATE_GOLDEN=1 node --test src/templates/golden/golden.test.ts` and
 * review the diff by hand before committing.
 */
const UPDATE = updateGoldens;
const expectedDir = new URL('./expected/', import.meta.url);

const rendered = validateRender(
  {
    cacheKey: 'golden/order.paid@1',
    templateCode: 'order.paid',
    content: orderPaidContent,
    variables: orderPaidVariables,
    data: orderPaidData,
    channels: CHANNELS,
  },
  { compiler: createTemplateCompiler() },
);

function message(channel: ChannelName): RenderedMessage {
  const result = rendered.get(channel);
  assert.ok(result, `no ${channel} rendering`);
  return result;
}

function matchesGolden(fileName: string, actual: string): void {
  const file = new URL(fileName, expectedDir);
  if (UPDATE) {
    mkdirSync(expectedDir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${fileName} differs from the reviewed golden file`);
}

describe('golden: order.paid rendered for every channel', () => {
  for (const channel of CHANNELS) {
    test(`${channel} matches ${channel}.golden.json`, () => {
      // E-mail HTML is large and reviewed as its own file.
      const { html, ...fields } = message(channel);
      const json = channel === 'email' ? fields : { ...fields, ...(html === undefined ? {} : { html }) };
      matchesGolden(`${channel}.golden.json`, `${JSON.stringify(json, null, 2)}\n`);
      if (channel === 'email') matchesGolden('email.golden.html', `${html}\n`);
    });
  }
});

/** Properties the goldens were reviewed for, asserted independently of them. */
describe('golden: user data stays data', () => {
  const note = orderPaidData.order.note;

  test('HTML injected through a variable is escaped text in e-mail and inbox', () => {
    for (const html of [message('email').html, message('inbox').html]) {
      assert.ok(html);
      assert.doesNotMatch(html, /<script/i);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \*bold\* _x_ \[link\]\(javascript:alert\(1\)\)/);
      assert.match(html, /<strong>Ada &lt;Lovelace&gt; &amp; Co<\/strong>/);
    }
  });

  test('no javascript: link survives in any channel, not even from a | raw value', () => {
    for (const channel of CHANNELS) {
      const { html, markdown, extras } = message(channel);
      assert.doesNotMatch(html ?? '', /href="javascript:/i, channel);
      // A link is an unescaped `](javascript:` in Markdown dialects, `<javascript:` in Slack (which leaves `[]()` as text).
      assert.doesNotMatch(markdown, channel === 'slack' ? /<javascript:/i : /(?<!\\)\]\(javascript:/i, channel);
      assert.doesNotMatch(JSON.stringify(extras ?? {}), /"href":"javascript:/i, channel);
    }
    assert.match(message('email').html ?? '', /Contact us<\/a> · Win a prize/);
  });

  test('Markdown control characters in a variable are escaped for each IM dialect', () => {
    assert.ok(message('dingtalk').markdown.includes('\\<script>alert(1)\\</script> \\*bold\\* \\_x\\_ \\[link\\](javascript:alert(1))'));
    assert.ok(message('discord').markdown.includes('\\*bold\\* \\_x\\_ \\[link\\]'));
    assert.ok(message('telegram').markdown.includes('<script\\>alert\\(1\\)</script\\> \\*bold\\* \\_x\\_ \\[link\\]\\(javascript:alert\\(1\\)\\)'));
    assert.ok(message('slack').markdown.includes('&lt;script&gt;alert(1)&lt;/script&gt; *\u200bbold*\u200b _\u200bx_\u200b [link](javascript:alert(1))'));
    assert.ok(message('feishu').markdown.includes('&lt;script&gt;alert(1)&lt;/script&gt; &#42;bold&#42; &#95;x&#95; &#91;link&#93;(javascript:alert(1))'));
  });

  test('WeCom cards keep the note literal: verbatim in plain-text fields, HTML-escaped in the textcard description', () => {
    const wecom = message('wecom').extras?.wecom as Record<string, any>;
    assert.equal(wecom.news.articles[0].description, note);
    assert.equal(wecom.templateCard.subTitle, `Ada <Lovelace> & Co: ${note}`);
    assert.ok(wecom.textcard.description.includes('Ada &lt;Lovelace&gt; &amp; Co: &lt;script&gt;alert(1)&lt;/script&gt; *bold* _x_ [link](javascript:alert(1))'));
    assert.doesNotMatch(JSON.stringify(wecom), /"(url|picUrl)":"javascript:/);
  });

  test('plain-text channels carry the note verbatim', () => {
    assert.ok(message('sms').text.includes(`Note from you: ${note}`));
    assert.ok(message('webhook').text.includes(`Note from you: ${note}`));
  });
});
