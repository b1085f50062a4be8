import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionContext, type CompletionResult, type CompletionSource } from '@codemirror/autocomplete';
import { liquid } from '@codemirror/lang-liquid';
import { EditorState } from '@codemirror/state';
import { liquidCompletions, type CompletableVariable } from '../../console/src/composables/liquid-completions.ts';

/** The template editor's completions, asked of the sources the editor's language offers at the cursor, as CodeMirror's autocompletion asks them. */
describe('console Liquid completions', () => {
  const variables: CompletableVariable[] = [
    { name: 'order', type: 'string', example: 'A-1001' },
    { name: 'customer', type: 'object', example: { name: 'Ada', address: { city: 'Hangzhou', zip: '310000' } } },
    { name: 'items', type: 'array', example: [{ sku: 'x' }] },
  ];

  /** What is offered with the cursor at the end of `doc`, on an explicit request (Ctrl+Space). */
  function options(doc: string, completable = variables) {
    const state = EditorState.create({ doc, extensions: [liquid(liquidCompletions(completable))] });
    const context = new CompletionContext(state, doc.length, true);
    return state.languageDataAt<CompletionSource>('autocomplete', doc.length).flatMap((source) => (source(context) as CompletionResult | null)?.options ?? []);
  }
  const labels = (doc: string) => options(doc).map((option) => option.label);

  test('inside an output, the variables and the locale global are offered', () => {
    const offered = labels('Hi {{ ');
    for (const name of ['order', 'customer', 'items', 'locale']) assert.ok(offered.includes(name), `${name} in ${offered.join(', ')}`);
  });

  test('after a dot, the keys of the example object at that path', () => {
    assert.deepEqual(labels('{{ customer.').sort(), ['address', 'name']);
    assert.deepEqual(labels('{{ customer.address.').sort(), ['city', 'zip']);
    assert.deepEqual(labels('{{ customer.name.'), []);
    assert.deepEqual(labels('{{ order.'), []);
    assert.deepEqual(labels('{{ items.'), []);
  });

  test("Herald's money filter is offered beside Liquid's own filters", () => {
    const offered = labels('{{ order | ');
    assert.ok(offered.includes('money'));
    assert.ok(offered.includes('upcase'));
  });

  test('a variable named like a render global is offered once, as the variable', () => {
    const offered = options('{{ ', [{ name: 'locale', type: 'string' }]).filter((option) => option.label === 'locale');
    assert.equal(offered.length, 1);
    assert.equal(offered[0]!.type, 'variable');
  });

  test('outside Liquid markup nothing of the template is offered', () => {
    assert.equal(labels('Plain text cust').includes('customer'), false);
    assert.ok(labels('Plain {{ cust').includes('customer'));
  });
});
