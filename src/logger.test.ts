import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from './logger.ts';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

test('JSON lines for collectors, credentials redacted', () => {
  const out = new Lines();
  createLogger('info', out, 'json').info({ req: { headers: { authorization: 'AWS4-HMAC-SHA256 secret' } }, password: 'p', key: { secretAccessKey: 's' } }, 'hello');
  const line = JSON.parse(out.text);
  assert.equal(line.msg, 'hello');
  assert.equal(line.req.headers.authorization, '[redacted]');
  assert.equal(line.password, '[redacted]');
  assert.equal(line.key.secretAccessKey, '[redacted]');
});

test('readable lines for a person, credentials still redacted', () => {
  const out = new Lines();
  createLogger('info', out, 'pretty').info({ password: 'hunter2-hunter2' }, 'hello there');
  assert.throws(() => JSON.parse(out.text));
  assert.match(out.text, /INFO.*hello there/);
  assert.doesNotMatch(out.text, /hunter2/);
});

test('auto is JSON when the destination is not a terminal', () => {
  const out = new Lines();
  createLogger('info', out, 'auto').info('plain');
  assert.equal(JSON.parse(out.text).msg, 'plain');
});
