import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderDefinition, RecallOutcome, SentMessage } from '../providers/provider.ts';
import { providerMap, silentLogger, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import type { HeraldError } from '../errors.ts';
import { scriptedProvider } from '../../test/support/scripted-provider.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createMessageControl } from '../deliveries/message-control.ts';
import { createChannelAccountSenders } from './channel-account-senders.ts';
import { createMessageRecall } from './message-recall.ts';
import { createProviderTokenCache } from './provider-token-cache.ts';

const WINDOW_SECONDS = 86_400;

/** Sends recipients in batch calls (one platform message id per call) and recalls by that id. */
function recallableProvider(recallAnswer: () => RecallOutcome = () => ({ kind: 'recalled' })) {
  const recalls: SentMessage[] = [];
  let calls = 0;
  const definition: ProviderDefinition = {
    type: 'recallable',
    channel: 'email',
    target: 'address',
    configSchema: {} as never,
    secretFields: [],
    maxRecipientsPerCall: 100,
    recallWindowSeconds: WINDOW_SECONDS,
    createSender: () => ({
      send: async () => ({ kind: 'sent', providerMessageId: `platform-${++calls}` }),
      sendBatch: async (requests) => {
        const id = `platform-${++calls}`;
        return requests.map(() => ({ kind: 'sent', providerMessageId: id }));
      },
      recall: async (sent) => {
        recalls.push(sent);
        return recallAnswer();
      },
    }),
  };
  return { definition, recalls };
}

for (const dialect of testDialects) {
  describe(`message recall on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    /** A message of four deliveries: two on the recallable account (one batch call), one on a mail account that cannot recall, one scheduled for later. */
    async function sentMixedMessage(recallAnswer?: () => RecallOutcome) {
      const recallable = recallableProvider(recallAnswer);
      const mail = scriptedProvider(() => ({ kind: 'sent', providerMessageId: 'smtp-1' }));
      const providers = providerMap(recallable.definition, mail);
      const recallableId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'recallable', channel: 'email', nowMs: bed.clock.now() });
      const mailId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      const { messageIds, deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: recallableId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: 4, address: (i) => `user-${i}` });
      const [first, second, mailed, later] = deliveryIds as [string, string, string, string];
      await bed.database.db.updateTable('deliveries').set({ channel_account_id: mailId }).where('id', '=', mailed).execute();
      await bed.database.db.updateTable('deliveries').set({ status: 'scheduled', run_at: bed.clock.now() + 3_600_000 }).where('id', '=', later).execute();
      assert.equal(await bed.createWorker({ providers }).drain(), 3);

      const senders = createChannelAccountSenders({
        database: bed.database,
        cryptoBox: bed.cryptoBox,
        clock: bed.clock,
        providers,
        logger: silentLogger,
        senderEnvironment: { outboundPolicy: { allowLoopback: true, allowPrivateNetworks: false }, connectTimeoutMs: 2000 },
      });
      const recall = createMessageRecall({
        database: bed.database,
        clock: bed.clock,
        senders,
        tokens: createProviderTokenCache({ database: bed.database, cryptoBox: bed.cryptoBox, clock: bed.clock }),
        outboundHttp: bed.outboundHttp,
        messageControl: createMessageControl({ database: bed.database, clock: bed.clock }),
        requestTimeoutMs: 5000,
        logger: silentLogger,
      });
      return { recall, recalls: recallable.recalls, messageId: messageIds[0]!, ids: { first, second, mailed, later } };
    }

    const statusOf = async (id: string) => (await bed.database.db.selectFrom('deliveries').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const lastEvent = async (id: string) => {
      const events = await bed.database.db.selectFrom('events').select(['type', 'code']).where('delivery_id', '=', id).orderBy('id').execute();
      return { ...events.at(-1)! };
    };

    test('recalls what the platform can take back (one call per platform message), cancels what is not sent, and says why for the rest', async () => {
      const { recall, recalls, messageId, ids } = await sentMixedMessage();
      const report = await recall.recall(bed.appId, messageId);

      const outcomes = Object.fromEntries(report.deliveries.map((delivery) => [delivery.id, [delivery.outcome, delivery.status, delivery.code]]));
      assert.deepEqual(outcomes, {
        [ids.first]: ['recalled', 'recalled', undefined],
        [ids.second]: ['recalled', 'recalled', undefined],
        [ids.mailed]: ['not_recallable', 'sent', 'RECALL_NOT_SUPPORTED'],
        [ids.later]: ['canceled', 'canceled', undefined],
      });
      assert.equal(recalls.length, 1, 'recipients of one batch call share one recall');
      assert.deepEqual([...recalls[0]!.addresses].sort(), ['user-0', 'user-1']);
      assert.equal(await statusOf(ids.first), 'recalled');
      assert.equal(await statusOf(ids.mailed), 'sent');
      assert.equal(await statusOf(ids.later), 'canceled');
      assert.deepEqual(await lastEvent(ids.first), { type: 'recalled', code: null });
      assert.deepEqual(await lastEvent(ids.mailed), { type: 'recall_failed', code: 'RECALL_NOT_SUPPORTED' });
      assert.deepEqual(await lastEvent(ids.later), { type: 'canceled', code: null });

      const again = await recall.recall(bed.appId, messageId);
      assert.deepEqual(
        again.deliveries.map((delivery) => delivery.outcome),
        ['already_recalled', 'already_recalled', 'not_recallable', 'not_sent'],
      );
      assert.equal(recalls.length, 1, 'a recalled message is not recalled twice');
    });

    test('past the platform window, or refused by the platform, the delivery keeps its status and the trail says why', async () => {
      const refused = await sentMixedMessage(() => ({ kind: 'failed', code: 'TEST_NOT_SENDER', message: 'not the sender' }));
      const report = await refused.recall.recall(bed.appId, refused.messageId);
      const first = report.deliveries.find((delivery) => delivery.id === refused.ids.first)!;
      assert.deepEqual([first.outcome, first.status, first.code], ['failed', 'sent', 'TEST_NOT_SENDER']);
      assert.deepEqual(await lastEvent(refused.ids.first), { type: 'recall_failed', code: 'TEST_NOT_SENDER' });

      bed.clock.advance(WINDOW_SECONDS * 1000);
      const late = await refused.recall.recall(bed.appId, refused.messageId);
      assert.equal(late.deliveries.find((delivery) => delivery.id === refused.ids.first)!.code, 'RECALL_WINDOW_PASSED');
      assert.equal(refused.recalls.length, 1, 'no call once the window has passed');
    });

    test('a message of another app is not found', async () => {
      const { recall, messageId } = await sentMixedMessage();
      const otherApp = await seedApp(bed.database, bed.cryptoBox, { nowMs: bed.clock.now() });
      await assert.rejects(recall.recall(otherApp, messageId), (error: HeraldError) => error.code === 'MESSAGE_NOT_FOUND' && error.kind === 'not_found');
    });
  });
}
