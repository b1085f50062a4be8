import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { parseConfig } from '../../config/config.ts';
import type { HeraldError } from '../../errors.ts';
import { createProviderRegistry } from '../../providers/provider-registry.ts';
import type { ProviderDefinition, ReceiptEntry } from '../../providers/provider.ts';
import { createDispatchTestBed, silentLogger, type DispatchTestBed } from '../../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../../test/support/seed-deliveries.ts';
import { testDialects } from '../../../test/support/test-databases.ts';
import { createReceiptIntake, type ReceiptIntake } from './receipt-intake.ts';

const TOKEN = 'receipt-token-5f1c0e9a';
const SIGNING_KEY = 'receipt-signing-key';
const OK_REPLY = { status: 200, contentType: 'application/json', body: '{"code":0}' };

/** A platform pushing `[{ id, to, ok, code }]` signed with `x-signature` = hex HMAC of the body under the account's key. */
const receiptProvider: ProviderDefinition = {
  type: 'receipting',
  channel: 'sms',
  target: 'address',
  configSchema: {} as never,
  secretFields: ['signingKey'],
  createSender: () => ({ send: async () => ({ kind: 'sent' }) }),
  receipts: {
    parse(request, config) {
      const expected = createHmac('sha256', String(config.signingKey)).update(request.body).digest('hex');
      if (request.headers['x-signature'] !== expected) return { kind: 'refused', reason: 'bad signature', reply: { status: 403, contentType: 'text/plain', body: 'forbidden' } };
      const pushes = JSON.parse(request.body.toString('utf8')) as Array<{ id: string; to?: string; ok: boolean; code: string }>;
      const entries: ReceiptEntry[] = pushes.map((push) => ({ providerMessageId: push.id, address: push.to, status: push.ok ? 'delivered' : 'undelivered', code: push.code, message: `carrier said ${push.code}` }));
      return { kind: 'accepted', entries, reply: OK_REPLY };
    },
  },
};

for (const dialect of testDialects) {
  describe(`delivery receipts on ${dialect}`, () => {
    let bed: DispatchTestBed;
    let clock: ManualClock;
    let intake: ReceiptIntake;
    let accountId: string;
    let messageId: string;
    let deliveryIds: string[];

    beforeEach(async () => {
      clock = new ManualClock();
      bed = await createDispatchTestBed(dialect, clock);
      const config = parseConfig({ HERALD_PUBLIC_URL: 'https://herald.example.com/' });
      intake = createReceiptIntake({ config, database: bed.database, clock, cryptoBox: bed.cryptoBox, logger: silentLogger, notifications: bed.notifications }, createProviderRegistry([receiptProvider]));
      const appId = await seedApp(bed.database, bed.cryptoBox, { nowMs: clock.now() });
      accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId, type: 'receipting', channel: 'sms', secrets: { signingKey: SIGNING_KEY }, nowMs: clock.now() });
      await bed.database.db.updateTable('channel_accounts').set({ receipt_token_enc: bed.cryptoBox.encrypt(TOKEN) }).where('id', '=', accountId).execute();
      // Three numbers sent in one call (one platform id, as Aliyun's BizId), all sent, the message completed.
      ({ messageIds: [messageId], deliveryIds } = (await seedMessages(bed.database, {
        appId,
        channelAccountId: accountId,
        channel: 'sms',
        nowMs: clock.now(),
        deliveriesPerMessage: 3,
        address: (i) => `+861380013800${i}`,
        callbackUrl: 'https://shop.example.com/herald-callback',
        callbackPerDelivery: true,
      })) as { messageIds: [string]; deliveryIds: string[] });
      await bed.database.db.updateTable('deliveries').set({ status: 'sent', provider_message_id: 'biz-1', sent_at: clock.now(), run_at: null, attempts: 1 }).where('message_id', '=', messageId).execute();
      await bed.database.db.updateTable('messages').set({ status: 'completed', pending_count: 0 }).where('id', '=', messageId).execute();
    });
    afterEach(() => bed.close());

    const push = (entries: unknown, signingKey = SIGNING_KEY) => {
      const body = Buffer.from(JSON.stringify(entries));
      return { search: '', headers: { 'x-signature': createHmac('sha256', signingKey).update(body).digest('hex') }, body };
    };
    const statuses = async () =>
      (await bed.database.db.selectFrom('deliveries').select(['id', 'status', 'last_error_code']).where('message_id', '=', messageId).orderBy('id').execute()).map((row) => [row.status, row.last_error_code]);
    const eventsOf = async (type: string) => bed.database.db.selectFrom('events').select(['delivery_id', 'code', 'detail']).where('message_id', '=', messageId).where('type', '=', type).execute();

    test('delivered and undelivered receipts move each delivery, with the carrier code in the trail; the message and callbacks follow', async () => {
      const reply = await intake.receive(accountId, TOKEN, push([
        { id: 'biz-1', to: '+8613800138000', ok: true, code: 'DELIVERED' },
        { id: 'biz-1', to: '+8613800138001', ok: false, code: 'UNDELIV' },
      ]));
      assert.deepEqual(reply, OK_REPLY);
      assert.deepEqual(await statuses(), [['delivered', null], ['undelivered', 'UNDELIV'], ['sent', null]]);
      assert.deepEqual((await eventsOf('undelivered')).map((event) => [event.delivery_id, event.code, event.detail]), [[deliveryIds[1], 'UNDELIV', 'carrier said UNDELIV']]);
      const message = await bed.database.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow();
      assert.equal(message.status, 'partially_failed', 'a completed message with an undelivered SMS is decided again');
      const callbacks = await bed.database.db.selectFrom('callbacks').select(['delivery_id', 'payload']).where('message_id', '=', messageId).execute();
      assert.deepEqual(
        callbacks.map((callback) => [callback.delivery_id, JSON.parse(callback.payload).type, JSON.parse(callback.payload).status]).sort(),
        [
          [deliveryIds[0], 'delivery.updated', 'delivered'],
          [deliveryIds[1], 'delivery.updated', 'undelivered'],
        ].sort(),
      );

      // Receipts come at least once and in any order: a repeat and a late "delivered" change nothing.
      await intake.receive(accountId, TOKEN, push([{ id: 'biz-1', to: '+8613800138001', ok: true, code: 'DELIVERED' }, { id: 'biz-1', to: '+8613800138000', ok: true, code: 'DELIVERED' }]));
      assert.deepEqual(await statuses(), [['delivered', null], ['undelivered', 'UNDELIV'], ['sent', null]]);
      assert.equal((await eventsOf('delivered')).length, 1);
    });

    test('a receipt for a send Herald does not know is answered as accepted and changes nothing', async () => {
      assert.deepEqual(await intake.receive(accountId, TOKEN, push([{ id: 'biz-unknown', to: '+8613800138000', ok: true, code: 'DELIVERED' }])), OK_REPLY);
      assert.deepEqual(await statuses(), [['sent', null], ['sent', null], ['sent', null]]);
    });

    test('a push the provider refuses (bad signature) gets its refusal and changes nothing; a wrong token or account is not found', async () => {
      const forged = await intake.receive(accountId, TOKEN, push([{ id: 'biz-1', to: '+8613800138000', ok: false, code: 'UNDELIV' }], 'guessed-key'));
      assert.equal(forged.status, 403);
      assert.deepEqual(await statuses(), [['sent', null], ['sent', null], ['sent', null]]);
      for (const [account, token] of [[accountId, 'wrong-token'], ['cha_unknown', TOKEN], [accountId, TOKEN.slice(0, -1)]] as const) {
        await assert.rejects(intake.receive(account, token, push([])), (error: HeraldError) => error.code === 'RECEIPT_ENDPOINT_UNKNOWN' && error.kind === 'not_found');
      }
    });
  });
}
