import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderDefinition, SendOutcome, SendRequest } from '../providers/provider.ts';
import { providerMap, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';

const MAX_RECIPIENTS = 1000;

/** A provider taking up to 1,000 recipients per call; addresses starting with "invalid-" are refused one by one, like WeCom's `invaliduser`. */
function batchProvider(answerBatch?: (requests: readonly SendRequest[]) => SendOutcome[]) {
  const calls: string[][] = [];
  const outcomeFor = (request: SendRequest): SendOutcome =>
    request.address!.startsWith('invalid-')
      ? { kind: 'failed', code: 'TEST_INVALID_USER', message: `${request.address} is not a member` }
      : { kind: 'sent', providerMessageId: `call-${calls.length}` };
  const definition: ProviderDefinition = {
    type: 'batching',
    channel: 'email',
    target: 'address',
    configSchema: {} as never,
    secretFields: [],
    maxRecipientsPerCall: MAX_RECIPIENTS,
    createSender: () => ({
      async send(request) {
        calls.push([request.address!]);
        return outcomeFor(request);
      },
      async sendBatch(requests) {
        calls.push(requests.map((request) => request.address!));
        return answerBatch ? answerBatch(requests) : requests.map(outcomeFor);
      },
    }),
  };
  return { definition, calls };
}

for (const dialect of testDialects) {
  describe(`several recipients in one provider call on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    const statuses = async (messageId: string) =>
      new Map((await bed.database.db.selectFrom('deliveries').select(['address', 'status', 'last_error_code', 'provider_message_id']).where('message_id', '=', messageId).execute()).map((row) => [row.address!, row]));

    test('2,500 recipients of one message go out in 3 calls of at most 1,000; 3 invalid users fail alone', async () => {
      const { definition, calls } = batchProvider();
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'batching', channel: 'email', nowMs: bed.clock.now() });
      const invalid = new Set([7, 1_500, 2_499]);
      const { messageIds } = await seedMessages(bed.database, {
        appId: bed.appId,
        channelAccountId: accountId,
        channel: 'email',
        nowMs: bed.clock.now(),
        deliveriesPerMessage: 2_500,
        address: (i) => (invalid.has(i) ? `invalid-${i}` : `user-${i}`),
      });
      const worker = bed.createWorker({ providers: providerMap(definition) });

      assert.equal(await worker.drain(), 2_500);
      assert.deepEqual(
        calls.map((call) => call.length),
        [1_000, 1_000, 500],
      );
      assert.equal(new Set(calls.flat()).size, 2_500, 'every recipient in exactly one call');
      const rows = await statuses(messageIds[0]!);
      const failed = [...rows.values()].filter((row) => row.status === 'failed');
      assert.deepEqual(failed.map((row) => row.address).sort(), ['invalid-1500', 'invalid-2499', 'invalid-7']);
      assert.ok(failed.every((row) => row.last_error_code === 'TEST_INVALID_USER'));
      assert.equal([...rows.values()].filter((row) => row.status === 'sent').length, 2_497);
      const message = await bed.database.db.selectFrom('messages').select(['status', 'pending_count']).where('id', '=', messageIds[0]!).executeTakeFirstOrThrow();
      assert.deepEqual({ ...message }, { status: 'partially_failed', pending_count: 0 });
    });

    test('recipients of different messages, or of different content, are not mixed; a lone recipient goes through send', async () => {
      const { definition, calls } = batchProvider();
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'batching', channel: 'email', nowMs: bed.clock.now() });
      const first = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: 3, address: (i) => `a-${i}` });
      const second = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: 2, address: (i) => `b-${i}` });
      const lone = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), address: () => 'c-0' });
      const worker = bed.createWorker({ providers: providerMap(definition) });

      assert.equal(await worker.drain(), 6);
      assert.deepEqual(calls.map((call) => call.join(',')).sort(), ['a-0,a-1,a-2', 'b-0,b-1', 'c-0']);
      for (const { messageIds } of [first, second, lone]) {
        assert.ok([...(await statuses(messageIds[0]!)).values()].every((row) => row.status === 'sent'));
      }
    });

    test('a batch answer with the wrong number of outcomes retries every recipient instead of guessing', async () => {
      const { definition } = batchProvider((requests) => requests.slice(1).map(() => ({ kind: 'sent' })));
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'batching', channel: 'email', nowMs: bed.clock.now() });
      const { messageIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: 3, address: (i) => `u-${i}` });
      const worker = bed.createWorker({ providers: providerMap(definition) });
      assert.equal(await worker.drain(), 3);
      const rows = [...(await statuses(messageIds[0]!)).values()];
      assert.deepEqual(rows.map((row) => [row.status, row.last_error_code]), Array(3).fill(['retrying', 'PROVIDER_ERROR']));
    });
  });
}
