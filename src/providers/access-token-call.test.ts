import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { createProviderTokenCache } from '../dispatch/provider-token-cache.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { testCryptoBox } from '../../test/support/dispatch-test-kit.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { callWithAccessToken, TokenFetchError, type AccessTokenSource, type CallFailure } from './access-token-call.ts';
import { memoryTokenCache } from './conformance/provider-test-support.ts';
import type { TokenCache } from './provider.ts';

const KEY = 'test-app:app_1';
const refused: CallFailure = { kind: 'failed', code: 'TEST_40013', message: 'bad app id' };

/** A token source whose platform hands out t1, t2 ... and whose cache records what was asked of it. */
function recordingSource(tokens: TokenCache = memoryTokenCache()) {
  const log: string[] = [];
  let issued = 0;
  const source: AccessTokenSource = {
    key: KEY,
    tokens: {
      get: (key, fetch) => tokens.get(key, fetch),
      invalidate: (key) => (log.push(`invalidate ${key}`), tokens.invalidate(key)),
    },
    fetch: async () => {
      log.push('fetch');
      return { token: `t${++issued}`, expiresInSeconds: 7_200 };
    },
  };
  return { source, log };
}

/** A platform call that answers "rejected" for the tokens in `rejected` and records the tokens it saw. */
function platform(rejected: ReadonlySet<string>) {
  const seen: string[] = [];
  const call = async (token: string) => (seen.push(token), { token, rejected: rejected.has(token) });
  return { seen, call, tokenRejected: (answer: { rejected: boolean }) => answer.rejected };
}

describe('callWithAccessToken', () => {
  test('uses the cached token: one fetch for several calls', async () => {
    const { source, log } = recordingSource();
    const { seen, call, tokenRejected } = platform(new Set());
    for (let n = 0; n < 3; n++) assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { answer: { token: 't1', rejected: false } });
    assert.deepEqual(seen, ['t1', 't1', 't1']);
    assert.deepEqual(log, ['fetch']);
  });

  test('a rejected token is dropped and the call made once more with a fresh one', async () => {
    const { source, log } = recordingSource();
    const { seen, call, tokenRejected } = platform(new Set(['t1']));
    assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { answer: { token: 't2', rejected: false } });
    assert.deepEqual(seen, ['t1', 't2']);
    assert.deepEqual(log, ['fetch', `invalidate ${KEY}`, 'fetch']);
    // The fresh token stays cached for the next call.
    await callWithAccessToken(source, call, tokenRejected);
    assert.deepEqual(seen, ['t1', 't2', 't2']);
  });

  test('a fresh token rejected again is handed back as the answer, after exactly one refresh', async () => {
    const { source, log } = recordingSource();
    const { seen, call, tokenRejected } = platform(new Set(['t1', 't2', 't3']));
    assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { answer: { token: 't2', rejected: true } });
    assert.deepEqual(seen, ['t1', 't2']);
    assert.deepEqual(log, ['fetch', `invalidate ${KEY}`, 'fetch']);
  });

  test('a failed token fetch answers its outcome without calling', async () => {
    const { seen, call, tokenRejected } = platform(new Set());
    const source: AccessTokenSource = { key: KEY, tokens: memoryTokenCache(), fetch: async () => Promise.reject(new TokenFetchError(refused)) };
    assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { outcome: refused });
    assert.deepEqual(seen, []);
  });

  test('any other error from the token fetch is not an outcome: it is thrown', async () => {
    const { call, tokenRejected } = platform(new Set());
    const source: AccessTokenSource = { key: KEY, tokens: memoryTokenCache(), fetch: async () => Promise.reject(new TypeError('bug')) };
    await assert.rejects(callWithAccessToken(source, call, tokenRejected), TypeError);
  });

  for (const dialect of testDialects) {
    describe(`with the database token cache (${dialect})`, () => {
      let database: HeraldDatabase;
      let closeDatabase: () => Promise<void>;
      before(async () => {
        ({ database, close: closeDatabase } = await createMigratedDatabase(dialect));
      });
      after(() => closeDatabase());

      test('a failed fetch stores nothing: the next call fetches again and caches that token', async () => {
        const cache = createProviderTokenCache({ database, cryptoBox: testCryptoBox(), clock: new ManualClock(Date.UTC(2026, 0, 5)) });
        const { seen, call, tokenRejected } = platform(new Set());
        let fetches = 0;
        const source: AccessTokenSource = {
          key: KEY,
          tokens: cache,
          fetch: async () => {
            if (++fetches === 1) throw new TokenFetchError(refused);
            return { token: 'good', expiresInSeconds: 7_200 };
          },
        };
        assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { outcome: refused });
        const row = await database.db.selectFrom('provider_tokens').select('token_enc').where('cache_key', '=', KEY).executeTakeFirst();
        assert.ok(row === undefined || row.token_enc === '', 'no token stored');
        assert.deepEqual(await callWithAccessToken(source, call, tokenRejected), { answer: { token: 'good', rejected: false } });
        await callWithAccessToken(source, call, tokenRejected);
        assert.equal(fetches, 2);
        assert.deepEqual(seen, ['good', 'good']);
      });
    });
  }
});
