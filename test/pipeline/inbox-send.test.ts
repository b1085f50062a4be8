import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribeToInboxChanges, type InboxChange } from '../../src/deliveries/inbox-notifications.ts';
import { createAppWithKey, createTestHerald, messageSender, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const HOUR_MS = 3_600_000;

for (const dialect of testDialects) {
  describe(`inbox channel on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const changes: InboxChange[] = [];
    let unsubscribe: () => void;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const { send, completed } = messageSender(() => ({ herald, app }));
    const itemsOf = (subscriberId: string) =>
      herald.context.database.db.selectFrom('inbox_items').selectAll().where('app_id', '=', app.appId).where('subscriber_id', '=', subscriberId).orderBy('id').execute();

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      unsubscribe = subscribeToInboxChanges(herald.context.notifications, (change) => changes.push(change));
      const account = await call('POST', '/v1/channel-accounts', { type: 'inbox', name: 'inbox', config: {} });
      assert.equal(account.statusCode, 201, account.body);
      const subscriber = await call('POST', '/v1/subscribers', { externalId: 'u1', name: 'Ada' });
      assert.equal(subscriber.statusCode, 201, subscriber.body);
    });
    after(async () => {
      unsubscribe();
      await herald.close();
    });

    test('a subscriber receiver gets one item: sanitised HTML, title, summary, link; the delivery is sent with the item id', async () => {
      const accepted = await send({
        to: ['u1'],
        channels: ['inbox'],
        content: {
          title: 'Order paid',
          summary: 'Order 1001 was paid',
          url: 'https://shop.example.com/orders/1001',
          format: 'markdown',
          body: 'Order **1001** was paid <script>alert(1)</script> [open](javascript:alert(2))',
        },
      });
      assert.equal(accepted.deliveries[0].address, 'u1', 'a subscriber needs no stored address for its inbox');
      const message = await completed(accepted.id);
      assert.equal(message.deliveries[0].status, 'sent');
      const items = await itemsOf('u1');
      assert.equal(items.length, 1);
      const [item] = items;
      assert.equal(item!.message_id, accepted.id);
      assert.equal(item!.delivery_id, message.deliveries[0].id);
      assert.equal(item!.title, 'Order paid');
      assert.equal(item!.summary, 'Order 1001 was paid');
      assert.equal(item!.link, 'https://shop.example.com/orders/1001');
      assert.equal(item!.severity, 'info');
      assert.equal(item!.valid_until, null);
      assert.match(item!.body_html ?? '', /<strong>1001<\/strong>/);
      assert.doesNotMatch(item!.body_html ?? '', /<script|javascript:/i);
      const trace = await herald.context.database.db.selectFrom('deliveries').select('provider_message_id').where('id', '=', item!.delivery_id!).executeTakeFirstOrThrow();
      assert.equal(trace.provider_message_id, item!.id);
      assert.ok(changes.some((change) => change.kind === 'items' && change.appId === app.appId && change.items.some(({ subscriberId, id }) => subscriberId === 'u1' && id === item!.id)), JSON.stringify(changes));
    });

    test("a template's inbox override sets category, severity, actions and a lifetime counted from the deposit", async () => {
      const template = await call('POST', '/v1/templates', {
        code: 'order.shipped',
        variables: [{ name: 'order', type: 'object', required: true, example: { id: 'EX-1' } }],
        content: {
          title: 'Order {{ order.id }} shipped',
          body: 'On its way.',
          channels: {
            inbox: {
              category: 'orders',
              severity: 'success',
              actions: [{ label: 'Track', url: 'https://shop.example.com/track/{{ order.id }}' }],
              validForSeconds: 3600,
              data: { orderId: '{{ order.id }}' },
            },
          },
        },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);
      const before = Date.now();
      const accepted = await send({ to: ['u1'], channels: ['inbox'], template: 'order.shipped', data: { order: { id: '1002' }, secret: 'not for the widget' } });
      await completed(accepted.id);
      const item = (await itemsOf('u1')).find((row) => row.message_id === accepted.id);
      assert.ok(item);
      assert.equal(item.title, 'Order 1002 shipped');
      assert.equal(item.category, 'orders');
      assert.equal(item.severity, 'success');
      assert.deepEqual(JSON.parse(item.actions), [{ label: 'Track', url: 'https://shop.example.com/track/1002' }]);
      assert.deepEqual(JSON.parse(item.data), { orderId: '1002' });
      assert.equal(Number(item.valid_until) - Number(item.valid_from), HOUR_MS);
      assert.ok(Number(item.valid_from) >= before);
    });

    test('a raw { subscriberId } receiver reaches an inbox without a subscriber record', async () => {
      const accepted = await send({ to: [{ subscriberId: 'u2' }], channels: ['inbox'], content: { body: 'Hello there' } });
      assert.equal((await completed(accepted.id)).deliveries[0].status, 'sent');
      const items = await itemsOf('u2');
      assert.deepEqual(items.map((row) => [row.title, row.body_html]), [['Hello there', '<p>Hello there</p>']]);
    });

    test('a subscriberId receiver with a space is refused with ADDRESS_INVALID naming the field', async () => {
      const response = await call('POST', '/v1/messages', { to: [{ subscriberId: 'u 3' }], channels: ['inbox'], content: { body: 'x' } });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().code, 'ADDRESS_INVALID');
      assert.equal(response.json().field, 'to[0].subscriberId');
      assert.match(response.json().detail, /without spaces/);
    });
  });
}
