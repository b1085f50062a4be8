import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { heraldError } from '../../test/support/herald-error.ts';
import { parseJsonBody } from '../validation/json-text.ts';

const parse = (text: string | Buffer, maxDepth = 4) => parseJsonBody(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, maxDepth);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('JSON body parser', () => {
  test('nesting up to the limit parses; one level more is JSON_TOO_DEEP', () => {
    assert.deepEqual(parse(nested(4)), [[[[]]]]);
    assert.deepEqual(parse('{"a":{"b":[{"c":1}]}}'), { a: { b: [{ c: 1 }] } });
    const error = heraldError(() => parse(nested(5)));
    assert.equal(error.code, 'JSON_TOO_DEEP');
    assert.equal(error.kind, 'invalid');
    assert.match(error.message, /4 levels/);
  });

  test('brackets and escaped quotes inside strings do not count as nesting', () => {
    assert.deepEqual(parse('{"a":"[[[[[[{{{{{{","b":"\\"[[[[[[[[","c":"\\\\"}'), { a: '[[[[[[{{{{{{', b: '"[[[[[[[[', c: '\\' });
  });

  test('prototype-poisoning keys are JSON_FORBIDDEN_KEY, as Fastify refuses them', () => {
    assert.equal(heraldError(() => parse('{"data":{"__proto__":{"admin":true}}}')).code, 'JSON_FORBIDDEN_KEY');
    assert.equal(heraldError(() => parse('{"constructor":{"prototype":{"admin":true}}}')).code, 'JSON_FORBIDDEN_KEY');
    assert.deepEqual(parse('{"title":"__proto__ and constructor are fine as text","constructor":"x"}'), { title: '__proto__ and constructor are fine as text', constructor: 'x' });
  });

  test('a body 5,000 levels deep is refused without exhausting the stack', () => {
    assert.equal(heraldError(() => parse(`{"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, 64)).code, 'JSON_TOO_DEEP');
  });

  test('bytes that are not UTF-8 are INVALID_UTF8, not replacement characters', () => {
    const raw = Buffer.concat([Buffer.from('{"body":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    assert.equal(heraldError(() => parse(raw)).code, 'INVALID_UTF8');
    assert.equal(heraldError(() => parse(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).code, 'INVALID_UTF8', 'an encoded surrogate is not UTF-8');
    assert.deepEqual(parse('{"body":"汉字 😀"}'), { body: '汉字 😀' });
  });

  test('a NUL in any string or key is NUL_CHARACTER naming where', () => {
    const inValue = heraldError(() => parse('{"to":[{"email":"a\\u0000@example.com"}]}'));
    assert.equal(inValue.code, 'NUL_CHARACTER');
    assert.equal(inValue.details.field, 'body.to[0].email');
    const inKey = heraldError(() => parse('{"data":{"k\\u0000":1}}'));
    assert.equal(inKey.details.field, 'body.data key "k\\u0000"');
    assert.deepEqual(parse('{"text":"a\\\\u0000b"}'), { text: 'a\\u0000b' }, 'an escaped backslash followed by u0000 is text, not a NUL');
  });

  test('a lone surrogate escape is INVALID_UTF8 naming where; a paired one is the character it encodes', () => {
    const lone = heraldError(() => parse('{"name":"a\\ud800b"}'));
    assert.equal(lone.code, 'INVALID_UTF8');
    assert.equal(lone.details.field, 'body.name');
    assert.equal(heraldError(() => parse('{"data":{"\\udfff":1}}')).details.field, 'body.data key "\\udfff"');
    assert.deepEqual(parse('{"name":"\\ud83d\\ude00"}'), { name: '😀' });
  });

  test('malformed JSON stays a SyntaxError for the error handler (INVALID_JSON)', () => {
    assert.throws(() => parse('{"a":'), SyntaxError);
  });
});
