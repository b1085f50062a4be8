import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { useDispatchTestBed } from '../../../test/support/dispatch-test-kit.ts';
import { testDialects } from '../../../test/support/test-databases.ts';
import { createInboxDepositor } from '../../dispatch/inbox-depositor.ts';
import { subscribeToInboxChanges, type InboxChange } from '../../deliveries/inbox-notifications.ts';
import { isId } from '../../ids.ts';
import { assertOutcomeKind, createTestProviderEnvironment, sampleSendRequest, testSenderEnvironment } from '../conformance/provider-test-support.ts';
import type { InboxDepositor, InboxItemDeposit, SendRequest } from '../provider.ts';
import { inboxProvider, type InboxConfig } from './inbox-provider.ts';

const environment = createTestProviderEnvironment();
after(() => environment.close());

function send(request: SendRequest, inbox: InboxDepositor | undefined, config: InboxConfig = {}) {
  const sender = inboxProvider.createSender({ id: 'acc_inbox', name: 'inbox', config }, testSenderEnvironment());
  return sender.send(request, environment.context(inbox ? { inbox } : {}));
}

/** Keeps what it is given, answering one item id per delivery. */
function memoryDepositor(): InboxDepositor & { items: InboxItemDeposit[] } {
  const items: InboxItemDeposit[] = [];
  return {
    items,
    async deposit(deposited) {
      items.push(...deposited);
      return deposited.map((item) => `inb_for_${item.deliveryId}`);
    },
  };
}

describe('inbox provider: what it deposits', () => {
  test('the rendered message and extras.inbox become the item; the item id is the provider message id', async () => {
    const inbox = memoryDepositor();
    const extras = {
      inbox: {
        link: 'https://shop.example/o/7',
        category: 'orders',
        severity: 'success',
        actions: [{ label: 'View', url: 'https://shop.example/o/7' }],
        validForSeconds: 3600,
        data: { orderId: '7' },
      },
    };
    const request = sampleSendRequest({ address: 'u1', content: { ...sampleSendRequest().content, extras } });
    const outcome = await send(request, inbox);
    assert.deepEqual(outcome, { kind: 'sent', providerMessageId: `inb_for_${request.deliveryId}` });
    assert.deepEqual(inbox.items, [
      {
        appId: request.appId,
        subscriberId: 'u1',
        deliveryId: request.deliveryId,
        messageId: request.messageId,
        title: 'Deploy finished',
        summary: 'herald v1.2.3 is live',
        bodyHtml: '<p><strong>herald v1.2.3</strong> is live on production.</p>',
        link: 'https://shop.example/o/7',
        category: 'orders',
        severity: 'success',
        actions: [{ label: 'View', url: 'https://shop.example/o/7' }],
        data: { orderId: '7' },
        validForSeconds: 3600,
      },
    ]);
  });

  test("without extras the account's defaults apply, severity is info, and nothing else is invented", async () => {
    const inbox = memoryDepositor();
    await send(sampleSendRequest({ address: 'u1' }), inbox, { defaultCategory: 'system', defaultValidForSeconds: 600 });
    const [item] = inbox.items;
    assert.equal(item?.category, 'system');
    assert.equal(item?.validForSeconds, 600);
    assert.equal(item?.severity, 'info');
    assert.equal(item?.link, null);
    assert.deepEqual(item?.actions, []);
    assert.deepEqual(item?.data, {});
  });

  test('without a title the start of the text stands in, on one line and cut at 80 characters', async () => {
    const inbox = memoryDepositor();
    const untitled = (text: string) => sampleSendRequest({ address: 'u1', content: { ...sampleSendRequest().content, title: '', text } });
    await send(untitled('Disk full\non db-1'), inbox);
    await send(untitled('x'.repeat(100)), inbox);
    assert.deepEqual(inbox.items.map((item) => item.title), ['Disk full on db-1', `${'x'.repeat(79)}…`]);
  });

  test('malformed extras (read back from JSON) count as absent', async () => {
    const inbox = memoryDepositor();
    const extras = { inbox: { severity: 'loud', actions: [{ label: 1 }], validForSeconds: 'soon', data: { n: 1 }, category: 5 } };
    await send(sampleSendRequest({ address: 'u1', content: { ...sampleSendRequest().content, extras } }), inbox);
    const [item] = inbox.items;
    assert.equal(item?.severity, 'info');
    assert.deepEqual(item?.actions, []);
    assert.equal(item?.validForSeconds, null);
    assert.deepEqual(item?.data, {});
    assert.equal(item?.category, null);
  });

  test('a worker without inbox access, and a delivery without a subscriber, fail; a storage error retries', async () => {
    const noInbox = await send(sampleSendRequest({ address: 'u1' }), undefined);
    assertOutcomeKind(noInbox, 'failed');
    assert.equal(noInbox.code, 'INBOX_UNAVAILABLE');
    const noAddress = await send(sampleSendRequest({ address: null }), memoryDepositor());
    assertOutcomeKind(noAddress, 'failed');
    assert.equal(noAddress.code, 'NO_ADDRESS');
    const broken: InboxDepositor = { deposit: async () => Promise.reject(new Error('connection terminated')) };
    const outcome = await send(sampleSendRequest({ address: 'u1' }), broken);
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'INBOX_DEPOSIT_FAILED');
    assert.match(outcome.message, /connection terminated/);
  });

  test('config: both fields optional; bounds on category length and lifetime; nothing unknown', () => {
    const valid = (config: unknown) => Value.Check(inboxProvider.configSchema, config);
    assert.equal(valid({}), true);
    assert.equal(valid({ defaultCategory: 'x'.repeat(64), defaultValidForSeconds: 60 }), true);
    assert.equal(valid({ defaultCategory: 'x'.repeat(65) }), false);
    assert.equal(valid({ defaultCategory: '' }), false);
    assert.equal(valid({ defaultValidForSeconds: 59 }), false);
    assert.equal(valid({ defaultValidForSeconds: 31_536_001 }), false);
    assert.equal(valid({ url: 'https://x.example' }), false);
  });
});

for (const dialect of testDialects) {
  describe(`inbox provider on ${dialect}: deposits into inbox_items`, () => {
    const bed = useDispatchTestBed(dialect);

    test('one row per delivery, lifetime from now, a change published; a retried send answers the same item', async () => {
      const changes: InboxChange[] = [];
      const unsubscribe = subscribeToInboxChanges(bed.notifications, (change) => changes.push(change));
      try {
        const inbox = createInboxDepositor({ database: bed.database, notifications: bed.notifications, clock: bed.clock });
        const extras = { inbox: { category: 'orders', validForSeconds: 3600, actions: [{ label: 'View', url: 'https://shop.example/o/7' }], data: { orderId: '7' } } };
        const request = sampleSendRequest({ appId: bed.appId, address: 'u1', content: { ...sampleSendRequest().content, extras } });
        const first = await send(request, inbox);
        assertOutcomeKind(first, 'sent');
        assert.ok(first.providerMessageId && isId('inb', first.providerMessageId), first.providerMessageId);
        bed.clock.advance(5000);
        const retried = await send({ ...request, attempt: 2 }, inbox);
        assert.deepEqual(retried, first, 'the retried send found the first item');

        const rows = await bed.database.db.selectFrom('inbox_items').selectAll().execute();
        assert.equal(rows.length, 1);
        const [row] = rows;
        const now = bed.clock.now() - 5000;
        assert.deepEqual(
          { ...row, valid_from: Number(row!.valid_from), valid_until: Number(row!.valid_until), created_at: Number(row!.created_at) },
          {
            id: first.providerMessageId,
            app_id: bed.appId,
            subscriber_id: 'u1',
            delivery_id: request.deliveryId,
            message_id: request.messageId,
            title: 'Deploy finished',
            summary: 'herald v1.2.3 is live',
            body_html: '<p><strong>herald v1.2.3</strong> is live on production.</p>',
            link: null,
            category: 'orders',
            severity: 'info',
            actions: JSON.stringify([{ label: 'View', url: 'https://shop.example/o/7' }]),
            data: JSON.stringify({ orderId: '7' }),
            valid_from: now,
            valid_until: now + 3_600_000,
            created_at: now,
            read_at: null,
            archived_at: null,
          },
        );
        assert.deepEqual(changes[0], { kind: 'items', appId: bed.appId, items: [{ subscriberId: 'u1', id: first.providerMessageId }] });
      } finally {
        unsubscribe();
      }
    });

    test('a batch writes every item in one call, answers them in order, and tells the streams in a few notifications; a repeat writes nothing new', async () => {
      const changes: InboxChange[] = [];
      const unsubscribe = subscribeToInboxChanges(bed.notifications, (change) => changes.push(change));
      try {
        const inbox = createInboxDepositor({ database: bed.database, notifications: bed.notifications, clock: bed.clock });
        const sender = inboxProvider.createSender({ id: 'acc_inbox', name: 'inbox', config: {} }, testSenderEnvironment());
        const requests = Array.from({ length: 130 }, (_, index) =>
          sampleSendRequest({ appId: bed.appId, address: `peer-${index}`, deliveryId: `dlv_01JH00000000000000000${String(index).padStart(5, '0')}` }),
        );
        const outcomes = await sender.sendBatch!(requests, environment.context({ inbox }));
        assert.equal(outcomes.length, 130);
        const rows = await bed.database.db.selectFrom('inbox_items').select(['id', 'subscriber_id', 'delivery_id']).execute();
        assert.equal(rows.length, 130);
        const byDelivery = new Map(rows.map((row) => [row.delivery_id, row]));
        requests.forEach((request, index) => {
          const outcome = outcomes[index]!;
          assertOutcomeKind(outcome, 'sent');
          assert.equal(outcome.providerMessageId, byDelivery.get(request.deliveryId)?.id);
          assert.equal(byDelivery.get(request.deliveryId)?.subscriber_id, `peer-${index}`);
        });
        const told = changes.flatMap((change) => (change.kind === 'items' ? change.items : []));
        assert.equal(told.length, 130);
        assert.ok(changes.length <= 3, `${changes.length} notifications for 130 items`);
        assert.deepEqual(await sender.sendBatch!(requests, environment.context({ inbox })), outcomes, 'a repeated batch answers the same items');
        assert.equal((await bed.database.db.selectFrom('inbox_items').select('id').execute()).length, 130);
      } finally {
        unsubscribe();
      }
    });

    test('an item without a lifetime stays for good', async () => {
      const inbox = createInboxDepositor({ database: bed.database, notifications: bed.notifications, clock: bed.clock });
      const outcome = await send(sampleSendRequest({ appId: bed.appId, address: 'u2', deliveryId: 'dlv_01JH0000000000000000000002' }), inbox);
      assertOutcomeKind(outcome, 'sent');
      const row = await bed.database.db.selectFrom('inbox_items').select(['subscriber_id', 'valid_until']).where('id', '=', outcome.providerMessageId!).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { subscriber_id: 'u2', valid_until: null });
    });
  });
}
