import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import aws4 from 'aws4';
import { HeraldError } from '../errors.ts';
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  parseSigV4Authorization,
  signSigV4Request,
  sigV4Signature,
  verifySigV4Request,
  type SigV4Headers,
} from './sigv4.ts';

const run = promisify(execFile);
const ACCESS_KEY_ID = 'AKHERALDTEST1';
const SECRET = 'hs_secret/with+odd=chars';
const REGION = 'cn-north-1';
const MAX_SKEW_SECONDS = 300;

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

async function secretFor(accessKeyId: string): Promise<string> {
  if (accessKeyId === ACCESS_KEY_ID) return SECRET;
  throw new HeraldError('unauthenticated', 'ACCESS_KEY_UNKNOWN', `Unknown access key ${accessKeyId}`);
}

/** Verifies against the real clock, because curl signs with it. */
function verify(method: string, url: string, headers: SigV4Headers, body = Buffer.alloc(0)) {
  return verifySigV4Request({ method, url, headers, body, now: Date.now(), maxSkewSeconds: MAX_SKEW_SECONDS, secretFor });
}

let server: http.Server;
let port: number;
let host: string;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      verify(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)).then(
        (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessKeyId: result.accessKeyId })),
        (error: unknown) => {
          const code = error instanceof HeraldError ? error.code : `NOT_A_HERALD_ERROR ${String(error)}`;
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Answer {
  status: number;
  body: { accessKeyId?: string; code?: string };
}

function send(method: string, path: string, headers: Record<string, string | number>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function sendWithAws4(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const signed = aws4.sign(
    { host: '127.0.0.1', port, path, method, body, headers, service: 'herald', region: REGION },
    { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  );
  return send(method, signed.path ?? '/', signed.headers as Record<string, string>, body);
}

async function sendWithCurl(path: string, extraArgs: string[] = [], secret = SECRET): Promise<Answer> {
  const { stdout } = await run('curl', [
    '--silent', '--show-error', '--noproxy', '*',
    '--aws-sigv4', `aws:amz:${REGION}:herald`, '--user', `${ACCESS_KEY_ID}:${secret}`,
    '--write-out', '\n%{http_code}',
    ...extraArgs,
    `http://${host}${path}`,
  ]);
  const lines = stdout.split('\n');
  return { status: Number(lines.pop()), body: JSON.parse(lines.join('\n')) };
}

function signed(options: { method?: string; url: string; body?: string; headers?: Record<string, string>; nowMs?: number; secret?: string; accessKeyId?: string }) {
  return signSigV4Request({
    method: options.method ?? 'GET',
    url: options.url,
    host,
    headers: options.headers,
    body: options.body,
    accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID,
    secretAccessKey: options.secret ?? SECRET,
    region: REGION,
    nowMs: options.nowMs ?? Date.now(),
  });
}

const accepted = (answer: Answer) => assert.deepEqual(answer, { status: 200, body: { accessKeyId: ACCESS_KEY_ID } });
const rejected = (answer: Answer, code: string) => assert.deepEqual(answer, { status: 401, body: { code } });

const JSON_BODY = JSON.stringify({ type: 'order-shipped', to: ['user:42', 'a b'], data: { text: '你好, world' } });

describe('SigV4 requests from independent clients are accepted', () => {
  test('aws4: GET with spaces, colons, commas, unicode, repeated keys and an empty value in the query', async () => {
    accepted(await sendWithAws4('GET', '/v1/subscribers?name=a b&tag=x:y,z&tag=中文&tag=a&empty=&zeta=1', undefined));
  });

  test('aws4: POST with a JSON body', async () => {
    accepted(await sendWithAws4('POST', '/v1/messages', JSON_BODY, { 'content-type': 'application/json' }));
  });

  test('aws4: a path with an encoded character', async () => {
    accepted(await sendWithAws4('GET', '/v1/subscribers/a%20b', undefined));
  });

  test('curl: GET with spaces, colons, commas, unicode and repeated keys in the query', async () => {
    accepted(await sendWithCurl('/v1/subscribers?tag=x:y,z&zeta=1', ['--get', '--url-query', 'name=a b', '--url-query', 'tag=中文', '--url-query', 'tag=a']));
  });

  test('curl: POST with a JSON body', async () => {
    accepted(await sendWithCurl('/v1/messages', ['-H', 'content-type: application/json', '--data-binary', JSON_BODY]));
  });

  test('curl: a path with an encoded character', async () => {
    accepted(await sendWithCurl('/v1/subscribers/a%20b'));
  });

  test('curl with the wrong secret is still refused', async () => {
    rejected(await sendWithCurl('/v1/subscribers?b=1&a=2', [], 'not-the-secret'), 'SIGNATURE_MISMATCH');
  });

  test("Herald's own signer: GET with a raw unsorted query and POST with a body", async () => {
    const url = '/v1/subscribers/a%20b?tag=x%3Ay&tag=%E4%B8%AD&name=a+b&empty';
    accepted(await send('GET', url, signed({ url })));
    accepted(await send('POST', '/v1/messages', signed({ method: 'POST', url: '/v1/messages', body: JSON_BODY, headers: { 'content-type': 'application/json' } }), JSON_BODY));
  });

  test('a correct x-amz-content-sha256 header is accepted', async () => {
    const headers = { 'content-type': 'application/json', 'x-amz-content-sha256': sha256Hex(JSON_BODY) };
    accepted(await send('POST', '/v1/messages', signed({ method: 'POST', url: '/v1/messages', body: JSON_BODY, headers }), JSON_BODY));
  });

  test('a Date header (IMF-fixdate) stands in for a missing X-Amz-Date', async () => {
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const headers = { host, date: new Date(nowMs).toUTCString() };
    const amzDate = new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
    const canonical = canonicalRequest({ method: 'GET', path: '/v1/apps', query: '', headers, signedHeaders: ['date', 'host'], payloadHash: sha256Hex('') });
    const signature = sigV4Signature({ secretAccessKey: SECRET, amzDate, region: REGION, service: 'herald', canonicalRequest: canonical });
    const authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${amzDate.slice(0, 8)}/${REGION}/herald/aws4_request,SignedHeaders=date;host,Signature=${signature}`;
    accepted(await send('GET', '/v1/apps', { ...headers, authorization }));
  });

  test('a request signed 4 minutes ago is inside the allowed skew', async () => {
    accepted(await send('GET', '/v1/apps', signed({ url: '/v1/apps', nowMs: Date.now() - 4 * 60_000 })));
  });
});

describe('SigV4 rejections', () => {
  test('a body changed after signing', async () => {
    const headers = signed({ method: 'POST', url: '/v1/messages', body: '{"amount":1}', headers: { 'content-type': 'application/json' } });
    rejected(await send('POST', '/v1/messages', headers, '{"amount":9}'), 'SIGNATURE_MISMATCH');
  });

  test('the wrong secret', async () => {
    rejected(await send('GET', '/v1/apps', signed({ url: '/v1/apps', secret: `${SECRET}x` })), 'SIGNATURE_MISMATCH');
  });

  test('X-Amz-Date 6 minutes old or 6 minutes in the future', async () => {
    rejected(await send('GET', '/v1/apps', signed({ url: '/v1/apps', nowMs: Date.now() - 6 * 60_000 })), 'SIGNATURE_EXPIRED');
    rejected(await send('GET', '/v1/apps', signed({ url: '/v1/apps', nowMs: Date.now() + 6 * 60_000 })), 'SIGNATURE_EXPIRED');
  });

  test('the expiry message names the server time and the allowed skew', async () => {
    const headers = signed({ url: '/v1/apps', nowMs: Date.UTC(2026, 0, 5, 9, 0, 0) });
    const error = await verifySigV4Request({
      method: 'GET', url: '/v1/apps', headers, body: Buffer.alloc(0), now: Date.UTC(2026, 0, 5, 9, 6, 0), maxSkewSeconds: MAX_SKEW_SECONDS, secretFor,
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof HeraldError);
    assert.equal(error.code, 'SIGNATURE_EXPIRED');
    assert.equal(error.kind, 'unauthenticated');
    assert.match(error.message, /2026-01-05T09:06:00\.000Z/);
    assert.match(error.message, /±300 seconds/);
  });

  test('an unknown access key (secretFor throws)', async () => {
    rejected(await send('GET', '/v1/apps', signed({ url: '/v1/apps', accessKeyId: 'AKNOBODY' })), 'ACCESS_KEY_UNKNOWN');
  });

  test('no Authorization header', async () => {
    const { authorization: _dropped, ...headers } = signed({ url: '/v1/apps' });
    rejected(await send('GET', '/v1/apps', headers), 'AUTH_MISSING');
  });

  test('no X-Amz-Date or Date header', async () => {
    const { 'x-amz-date': _dropped, ...headers } = signed({ url: '/v1/apps' });
    rejected(await send('GET', '/v1/apps', headers), 'AUTH_MISSING');
  });

  test('an unparseable X-Amz-Date', async () => {
    rejected(await send('GET', '/v1/apps', { ...signed({ url: '/v1/apps' }), 'x-amz-date': '2026-01-05T09:00:00Z' }), 'AUTH_MALFORMED');
  });

  test('a Credential date that differs from the X-Amz-Date day', async () => {
    const headers = signed({ url: '/v1/apps' });
    const otherDay = headers.authorization.replace(/\/(\d{8})\//, (_, day: string) => `/${day === '20200101' ? '20200102' : '20200101'}/`);
    rejected(await send('GET', '/v1/apps', { ...headers, authorization: otherDay }), 'AUTH_MALFORMED');
  });

  test('a signature made for a different query', async () => {
    rejected(await send('GET', '/v1/subscribers?page=2', signed({ url: '/v1/subscribers?page=1' })), 'SIGNATURE_MISMATCH');
  });

  test('a signature made for a different method', async () => {
    rejected(await send('DELETE', '/v1/apps', signed({ url: '/v1/apps' })), 'SIGNATURE_MISMATCH');
  });

  test('an x-amz-content-sha256 that is not the hash of the body', async () => {
    const headers = signed({ method: 'POST', url: '/v1/messages', body: JSON_BODY, headers: { 'x-amz-content-sha256': sha256Hex('something else') } });
    rejected(await send('POST', '/v1/messages', headers, JSON_BODY), 'SIGNATURE_MISMATCH');
  });

  test('UNSIGNED-PAYLOAD', async () => {
    const headers = signed({ method: 'POST', url: '/v1/messages', body: JSON_BODY, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    rejected(await send('POST', '/v1/messages', headers, JSON_BODY), 'AUTH_MALFORMED');
  });

  test('a signed header that did not arrive', async () => {
    const { 'x-request-id': _dropped, ...headers } = signed({ url: '/v1/apps', headers: { 'x-request-id': 'r-1' } });
    rejected(await send('GET', '/v1/apps', headers), 'SIGNATURE_MISMATCH');
  });

  test('presigned query-string signatures are refused with a clear message', async () => {
    const url = '/v1/apps?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260105%2Fcn-north-1%2Fherald%2Faws4_request&X-Amz-Signature=abc';
    rejected(await send('GET', url, {}), 'AUTH_MALFORMED');
    const error = await verify('GET', url, {}).catch((caught: unknown) => caught);
    assert.ok(error instanceof HeraldError);
    assert.match(error.message, /Query-string signing .* not supported/);
  });

  test('accepting curl < 8.4 (path signed as sent) does not let a signature move to a double-encoded path', async () => {
    const headers = signed({ url: '/v1/subscribers/a%20b' });
    accepted(await send('GET', '/v1/subscribers/a%20b', headers));
    rejected(await send('GET', '/v1/subscribers/a%2520b', headers), 'SIGNATURE_MISMATCH');
  });
});

describe('malformed Authorization headers only ever produce HeraldErrors', () => {
  const valid = signed({ url: '/v1/apps' });
  const credential = /Credential=([^,]+)/.exec(valid.authorization)![1];
  const signature = /Signature=([0-9a-f]+)/.exec(valid.authorization)![1];
  const scope = credential.slice(credential.indexOf('/'));
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['empty', '', 'AUTH_MISSING', /Missing Authorization/],
    ['only spaces', '   ', 'AUTH_MISSING', /Missing Authorization/],
    ['Basic auth', 'Basic dXNlcjpwYXNz', 'AUTH_MALFORMED', /AWS4-HMAC-SHA256 scheme, got "Basic"/],
    ['Bearer token', 'Bearer abc.def', 'AUTH_MALFORMED', /got "Bearer"/],
    ['SigV2-style', 'AWS AKID:c2lnbmF0dXJl', 'AUTH_MALFORMED', /got "AWS"/],
    ['algorithm only', 'AWS4-HMAC-SHA256', 'AUTH_MALFORMED', /missing Credential/],
    ['no Credential', `AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /missing Credential/],
    ['no SignedHeaders', `AWS4-HMAC-SHA256 Credential=${credential}, Signature=${signature}`, 'AUTH_MALFORMED', /missing SignedHeaders/],
    ['no Signature', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date`, 'AUTH_MALFORMED', /missing Signature/],
    ['empty Signature', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=`, 'AUTH_MALFORMED', /missing Signature/],
    ['non-hex signature', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${'z'.repeat(64)}`, 'AUTH_MALFORMED', /64 lower-case hex/],
    ['short signature', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=abc123`, 'AUTH_MALFORMED', /64 lower-case hex/],
    ['upper-case signature', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature.toUpperCase()}`, 'AUTH_MALFORMED', /64 lower-case hex/],
    ['service s3', `AWS4-HMAC-SHA256 Credential=${credential.replace('/herald/', '/s3/')}, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /must be "herald", got "s3"/],
    ['short scope', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20260105/herald/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /must have the form/],
    ['bad terminator', `AWS4-HMAC-SHA256 Credential=${credential.replace('aws4_request', 'aws4_req')}, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /aws4_request/],
    ['impossible date', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20260231/${REGION}/herald/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /calendar date/],
    ['empty access key', `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /access key id/],
    ['region with a space', `AWS4-HMAC-SHA256 Credential=${credential.replace(REGION, 'cn north')}, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /region/],
    ['host not signed', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /must include "host"/],
    ['unsorted signed headers', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=x-amz-date;host, Signature=${signature}`, 'AUTH_MALFORMED', /sorted/],
    ['upper-case signed header', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=Host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /lower-case header name/],
    ['empty signed header entry', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /lower-case header name/],
    ['repeated component', `AWS4-HMAC-SHA256 Credential=${credential}, Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}`, 'AUTH_MALFORMED', /repeats the Credential/],
    ['unknown component', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${signature}, Extra=1`, 'AUTH_MALFORMED', /unknown component "Extra"/],
    ['component without "="', `AWS4-HMAC-SHA256 Credential ${credential}`, 'AUTH_MALFORMED', /has no "="/],
    ['unicode signature', 'AWS4-HMAC-SHA256 Credential=钥匙/20260105/北京/herald/aws4_request, SignedHeaders=host, Signature=签名', 'AUTH_MALFORMED', /64 lower-case hex/],
    ['unicode access key', `AWS4-HMAC-SHA256 Credential=钥匙/20260105/北京/herald/aws4_request, SignedHeaders=host, Signature=${signature}`, 'AUTH_MALFORMED', /access key id/],
    ['lone surrogate', `AWS4-HMAC-SHA256 Credential=\ud800/x, SignedHeaders=host, Signature=${signature}`, 'AUTH_MALFORMED', /Credential/],
    ['huge', `AWS4-HMAC-SHA256 Credential=${'A'.repeat(100_000)}`, 'AUTH_MALFORMED', /at most 4096/],
    ['two Authorization headers', [valid.authorization, valid.authorization], 'AUTH_MALFORMED', /exactly one Authorization/],
    ['an empty array', [], 'AUTH_MISSING', /Missing Authorization/],
  ];

  for (const [name, authorization, code, message] of cases) {
    test(name, async () => {
      const error = await verify('GET', '/v1/apps', { ...valid, authorization } as SigV4Headers).catch((caught: unknown) => caught);
      assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
      assert.equal(error.kind, 'unauthenticated');
      assert.equal(error.code, code);
      assert.match(error.message, message);
    });
  }

  test('weird values in other headers and the URL', async () => {
    const weird: Array<[string, SigV4Headers, string]> = [
      ['/v1/apps', { ...valid, 'x-amz-date': ['20260105T090000Z', '20260105T090000Z'] }, 'AUTH_MALFORMED'],
      ['/v1/apps', { ...valid, 'x-amz-date': '' }, 'AUTH_MALFORMED'],
      ['/v1/apps', { ...valid, 'x-amz-date': '２０２６０１０５T090000Z' }, 'AUTH_MALFORMED'],
      ['/v1/apps', { ...valid, 'x-amz-date': '20261399T990000Z' }, 'AUTH_MALFORMED'],
      ['/v1/apps', { ...valid, host: [] }, 'SIGNATURE_MISMATCH'],
      ['/v1/apps', { ...valid, host: ['a', 'b'] }, 'SIGNATURE_MISMATCH'],
      ['/v1/apps', { ...valid, host: 'ü'.repeat(100_000) }, 'SIGNATURE_MISMATCH'],
      ['/v1/apps', { ...valid, 'x-amz-content-sha256': ['a', 'b'] }, 'SIGNATURE_MISMATCH'],
      ['/v1/apps?%zz=%E4%B8&a=%&&=&x=\ud800', valid, 'SIGNATURE_MISMATCH'],
      ['/v1/../../%2e%2e/\ud800?', valid, 'SIGNATURE_MISMATCH'],
      ['', valid, 'SIGNATURE_MISMATCH'],
      ['/v1/apps', { ...valid, authorization: valid.authorization.replace('host;x-amz-date', 'constructor;host;x-amz-date') }, 'SIGNATURE_MISMATCH'],
    ];
    for (const [url, headers, code] of weird) {
      const error = await verify('GET', url, headers).catch((caught: unknown) => caught);
      assert.ok(error instanceof HeraldError, `${url} ${JSON.stringify(headers).slice(0, 200)}: got ${String(error)}`);
      assert.equal(error.code, code, `${url} ${JSON.stringify(headers).slice(0, 200)}: ${error.message}`);
    }
  });

  test('parseSigV4Authorization returns the parts of a valid header', () => {
    assert.deepEqual(parseSigV4Authorization(valid.authorization), {
      accessKeyId: ACCESS_KEY_ID,
      date: credential.split('/')[1],
      region: REGION,
      service: 'herald',
      signedHeaders: ['host', 'x-amz-date'],
      signature,
    });
  });
});

describe('canonical request', () => {
  const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  test('AWS test suite get-vanilla: canonical request and signature', () => {
    const canonical = canonicalRequest({
      method: 'GET', path: '/', query: '', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      signedHeaders: ['host', 'x-amz-date'], payloadHash: EMPTY_HASH,
    });
    assert.equal(canonical, `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_HASH}`);
    const signature = sigV4Signature({
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', amzDate: '20150830T123600Z', region: 'us-east-1', service: 'service', canonicalRequest: canonical,
    });
    assert.equal(signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  test('AWS documentation example: IAM ListUsers', () => {
    const canonical = canonicalRequest({
      method: 'GET', path: '/', query: 'Action=ListUsers&Version=2010-05-08',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: 'iam.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      signedHeaders: ['content-type', 'host', 'x-amz-date'], payloadHash: EMPTY_HASH,
    });
    const signature = sigV4Signature({
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', amzDate: '20150830T123600Z', region: 'us-east-1', service: 'iam', canonicalRequest: canonical,
    });
    assert.equal(signature, '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  test('paths are normalised and each segment encoded again', () => {
    assert.equal(canonicalUri(''), '/');
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri('//example//'), '/example/');
    assert.equal(canonicalUri('/example1/example2/../..'), '/');
    assert.equal(canonicalUri('/./example/.'), '/example');
    assert.equal(canonicalUri('/v1/subscribers/a%20b'), '/v1/subscribers/a%2520b');
    assert.equal(canonicalUri("/v1/x:y@z!'()*~-_."), '/v1/x%3Ay%40z%21%27%28%29%2A~-_.');
    assert.equal(canonicalUri('/v1/中'), '/v1/%E4%B8%AD');
  });

  test('query parameters are decoded, RFC 3986 encoded and sorted by name then value', () => {
    assert.equal(canonicalQueryString(''), '');
    assert.equal(canonicalQueryString('b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
    assert.equal(canonicalQueryString('a-b=2&a=1'), 'a=1&a-b=2');
    assert.equal(canonicalQueryString('q=a+b&r=a%20b&s=a%2Bb&t=x:y,z'), 'q=a%20b&r=a%20b&s=a%2Bb&t=x%3Ay%2Cz');
    assert.equal(canonicalQueryString('u=%e4%b8%ad&v=中&w=%zz&x=~-_.'), 'u=%E4%B8%AD&v=%E4%B8%AD&w=%25zz&x=~-_.');
    assert.equal(canonicalQueryString('&&k=v&&'), 'k=v');
  });

  test('header values are trimmed, inner whitespace collapsed, repeated values joined with ","', () => {
    const canonical = canonicalRequest({
      method: 'GET', path: '/', query: '', headers: { host: 'h', 'my-header': ['  a   b  ', 'c\t\td'] },
      signedHeaders: ['host', 'my-header'], payloadHash: EMPTY_HASH,
    });
    assert.equal(canonical, `GET\n/\n\nhost:h\nmy-header:a b,c d\n\nhost;my-header\n${EMPTY_HASH}`);
  });
});
