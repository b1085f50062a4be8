import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderForChannel } from '../render-message.ts';
import { createTemplateCompiler } from '../template-compiler.ts';
import { parseMarkdown } from '../markdown-document.ts';
import { formatSlackBlocks, SLACK_MAX_BLOCKS, SLACK_MAX_SECTION_CHARACTERS, type SlackBlock } from './slack-blocks-formatter.ts';

const textOf = (block: SlackBlock | undefined) => (block && block.type !== 'divider' ? block.text.text : undefined);
const characters = (text: string | undefined) => [...(text ?? '')].length;

describe('Slack Block Kit from Markdown', () => {
  test('a header for the title, a mrkdwn section per block, a divider for ---', () => {
    const blocks = formatSlackBlocks(parseMarkdown('# Deploy done\n\nAll **green**.\n\n---\n\n## Details\n\n- api\n- web\n\n```\na < b\n```'), { title: 'Deploy done' });
    assert.deepEqual(blocks, [
      { type: 'header', text: { type: 'plain_text', text: 'Deploy done', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'All *green*.' } },
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: '*Details*' } },
      { type: 'section', text: { type: 'mrkdwn', text: '• api\n• web' } },
      { type: 'section', text: { type: 'mrkdwn', text: '```\na &lt; b\n```' } },
    ]);
  });

  test('a first heading other than the title stays; a long title is cut to 150 characters', () => {
    const blocks = formatSlackBlocks(parseMarkdown('# Other heading\n\ntext'), { title: 'x'.repeat(200) });
    assert.equal(blocks[0].type, 'header');
    assert.equal(characters(textOf(blocks[0])), 150);
    assert.ok(textOf(blocks[0])!.endsWith('…'));
    assert.equal(textOf(blocks[1]), '*Other heading*');
    assert.deepEqual(formatSlackBlocks(parseMarkdown('only text'), { title: '' }), [{ type: 'section', text: { type: 'mrkdwn', text: 'only text' } }]);
  });

  test('a paragraph longer than 3000 characters is split at spaces into sections that fit', () => {
    const words = Array.from({ length: 1500 }, (_, index) => `word${index}`);
    const blocks = formatSlackBlocks(parseMarkdown(words.join(' ')), { title: '' });
    assert.ok(blocks.length > 1);
    for (const block of blocks) assert.ok(characters(textOf(block)) <= SLACK_MAX_SECTION_CHARACTERS);
    assert.equal(blocks.map(textOf).join(' '), words.join(' '), 'nothing lost, cut only at spaces');
  });

  test('a long code block is split into fenced blocks, each within 3000 characters', () => {
    const lines = Array.from({ length: 400 }, (_, index) => `line ${index} & more`);
    const blocks = formatSlackBlocks(parseMarkdown(`\`\`\`\n${lines.join('\n')}\n\`\`\``), { title: '' });
    assert.ok(blocks.length > 1);
    for (const block of blocks) {
      const text = textOf(block)!;
      assert.ok(characters(text) <= SLACK_MAX_SECTION_CHARACTERS);
      assert.match(text, /^```\n[\s\S]*\n```$/);
    }
    const code = blocks.map((block) => textOf(block)!.slice(4, -4)).join('\n');
    assert.equal(code, lines.join('\n').replace(/&/g, '&amp;'));
  });

  test('beyond 50 blocks neighbouring sections share blocks; dividers go before any content', () => {
    const paragraphs = Array.from({ length: 80 }, (_, index) => `paragraph ${index}`);
    const packed = formatSlackBlocks(parseMarkdown(paragraphs.join('\n\n')), { title: 'T' });
    assert.ok(packed.length <= SLACK_MAX_BLOCKS);
    assert.equal(packed.length, 2, 'all paragraphs fit one section');
    assert.equal(textOf(packed[1]), paragraphs.join('\n\n'));

    const ruled = formatSlackBlocks(parseMarkdown(paragraphs.join('\n\n---\n\n')), { title: 'T' });
    assert.ok(ruled.length <= SLACK_MAX_BLOCKS);
    assert.ok(ruled.every((block) => block.type !== 'divider'));
    assert.equal(textOf(ruled[1]), paragraphs.join('\n\n'));
  });

  test('the slack renderer puts the blocks in extras.slackBlocks, from the slack override when set', () => {
    const compiler = createTemplateCompiler();
    const rendered = renderForChannel(
      { templateCode: 'deploy', content: { title: 'Deploy', body: 'long body', channels: { slack: { markdown: 'short **{{ a }}**' } } }, data: { a: 1 }, channel: 'slack' },
      { compiler },
    );
    assert.deepEqual(rendered.extras?.slackBlocks, [
      { type: 'header', text: { type: 'plain_text', text: 'Deploy', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'short *1*' } },
    ]);
  });
});
