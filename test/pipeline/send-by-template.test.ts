import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { createAppWithKey, createTestHerald, messageSender, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

interface WebhookBody {
  messageId: string;
  title: string;
  text: string;
  metadata: Record<string, string>;
}

const orderVariables = [
  { name: 'order', type: 'object', required: true, example: { id: 'EX-1' } },
  { name: 'amount', type: 'number', example: 10 },
];

for (const dialect of testDialects) {
  describe(`send by template on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let sink: WebhookTestServer;
    let smtp: SmtpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const messageCount = async () => Number((await herald.context.database.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const createTemplate = async (body: Record<string, unknown>) => {
      const response = await call('POST', '/v1/templates', body);
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    };
    const { send, completed } = messageSender(() => ({ herald, app }));
    const webhookOf = (messageId: string) => sink.received.map((r) => r.body as WebhookBody).find((body) => body.messageId === messageId);

    before(async () => {
      // Any free port: a fixed one collides with whatever else runs on the machine.
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      sink = await startWebhookTestServer({ secret: 'hook-secret' });
      smtp = await startSmtpTestServer();
      for (const account of [
        { type: 'webhook', name: 'hooks', config: { url: sink.url, secret: 'hook-secret' } },
        { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Shop <shop@example.com>' } },
      ]) {
        const created = await call('POST', '/v1/channel-accounts', account);
        assert.equal(created.statusCode, 201, created.body);
      }
    });
    after(async () => {
      await herald.close();
      await sink.close();
      await smtp.close();
    });

    test('sends render the published version and record it; draft edits wait for the next publish', async () => {
      await createTemplate({ code: 'order.paid', defaultChannels: ['webhook'], variables: orderVariables, content: { title: 'v1: order {{ order.id }} paid', body: 'Paid.' }, publish: true });
      const edited = await call('PATCH', '/v1/templates/order.paid', { content: { title: 'v2: order {{ order.id }} paid', body: 'Paid.' } });
      assert.equal(edited.json().publishedVersion, 1);

      const first = await send({ to: [{ channelAccount: 'hooks' }], template: 'order.paid', data: { order: { id: 'A-1' } } });
      assert.equal(first.templateVersion, 1);
      assert.deepEqual(first.deliveries.map((d: { channel: string }) => d.channel), ['webhook'], 'the template default channels apply');
      const firstMessage = await completed(first.id);
      assert.deepEqual(firstMessage.template, { code: 'order.paid', version: 1 });
      assert.equal(webhookOf(first.id)?.title, 'v1: order A-1 paid', 'the draft edit is not sent');

      assert.equal((await call('POST', '/v1/templates/order.paid/publish')).json().publishedVersion, 2);
      const second = await send({ to: [{ channelAccount: 'hooks' }], template: 'order.paid', data: { order: { id: 'A-2' } } });
      assert.equal(second.templateVersion, 2);
      assert.deepEqual((await completed(second.id)).template, { code: 'order.paid', version: 2 });
      assert.equal(webhookOf(second.id)?.title, 'v2: order A-2 paid');
    });

    test("the receiver's locale picks the variant: exact tag, then language, else the default content", async () => {
      await createTemplate({
        code: 'greeting',
        defaultChannels: ['email'],
        content: {
          title: 'Default greeting',
          body: 'Default body',
          locales: { zh: { title: '中文问候', body: '中文正文' }, en: { title: 'English greeting' } },
        },
        publish: true,
      });
      const people = [
        ['cn', 'zh-CN', 'cn@example.com'],
        ['tw', 'zh-TW', 'tw@example.com'],
        ['gb', 'en-GB', 'gb@example.com'],
        ['fr', 'fr', 'fr@example.com'],
        ['none', null, 'none@example.com'],
      ] as const;
      for (const [externalId, locale, email] of people) {
        const created = await call('POST', '/v1/subscribers', { externalId, locale, addresses: { email } });
        assert.equal(created.statusCode, 201, created.body);
      }
      const accepted = await send({ to: people.map(([externalId]) => externalId), template: 'greeting' });
      await completed(accepted.id);
      const mails = new Map<string, { subject: string; text: string }>();
      for (const mail of smtp.received) {
        const parsed = await simpleParser(mail.raw);
        mails.set(mail.to[0]!, { subject: parsed.subject ?? '', text: (parsed.text ?? '').trim() });
      }
      assert.deepEqual(mails.get('cn@example.com'), { subject: '中文问候', text: '中文正文' }, 'zh-CN → zh');
      assert.deepEqual(mails.get('tw@example.com'), { subject: '中文问候', text: '中文正文' }, 'zh-TW → zh');
      assert.deepEqual(mails.get('gb@example.com'), { subject: 'English greeting', text: 'Default body' }, 'en-GB → en, its other fields from the default content');
      assert.equal(mails.get('fr@example.com')?.subject, 'Default greeting', 'fr → the default content');
      assert.equal(mails.get('none@example.com')?.subject, 'Default greeting', 'no locale → the default content');

      // A send's own locale overrides the receivers', also for targets without one (a webhook).
      const hooked = await send({ to: [{ channelAccount: 'hooks' }], channels: ['webhook'], template: 'greeting', locale: 'en-US' });
      await completed(hooked.id);
      assert.equal(webhookOf(hooked.id)?.title, 'English greeting');
    });

    test('bad template sends are refused at accept time with a 4xx naming the variable and template, storing nothing', async () => {
      await createTemplate({ code: 'strict.vars', defaultChannels: ['webhook'], variables: orderVariables, content: { title: 'Order {{ order.id }}', body: '{{ amount | money: "CNY" }} {{ coupon }}' }, publish: false });
      await call('PATCH', '/v1/templates/strict.vars', { variables: [...orderVariables, { name: 'coupon', type: 'string', example: 'C' }], publish: true });
      await createTemplate({ code: 'never.published', content: { body: 'x' } });
      const before = await messageCount();
      const hooks = [{ channelAccount: 'hooks' }];
      const cases: Array<[Record<string, unknown>, number, string, Record<string, unknown>, RegExp]> = [
        [{ to: hooks, template: 'strict.vars', data: { amount: 1, coupon: 'C' } }, 422, 'TEMPLATE_VARIABLE_MISSING', { variable: 'order', templateCode: 'strict.vars' }, /"strict\.vars" requires variable "order"/],
        [{ to: hooks, template: 'strict.vars', data: { order: { id: 1 }, amount: 'ten', coupon: 'C' } }, 422, 'TEMPLATE_VARIABLE_INVALID', { variable: 'amount' }, /"amount" to be a number/],
        [{ to: hooks, template: 'strict.vars', data: { order: { id: 1 }, amount: 1 } }, 422, 'TEMPLATE_VARIABLE_MISSING', { variable: 'coupon', field: 'body' }, /uses variable "coupon" in body/],
        [{ to: hooks, template: 'strict.vars', data: { order: { id: 1 }, coupon: 'C' } }, 422, 'TEMPLATE_VARIABLE_MISSING', { variable: 'amount' }, /"amount"/],
        [{ to: hooks, template: 'no.such.template', data: {} }, 422, 'TEMPLATE_NOT_FOUND', { field: 'template' }, /"no\.such\.template"/],
        [{ to: hooks, template: 'never.published', channels: ['webhook'] }, 422, 'TEMPLATE_NOT_PUBLISHED', { field: 'template' }, /publish/],
        [{ to: hooks, channels: ['webhook'], content: { body: 'Hi {{ name | shout }}' }, data: { name: 'a' } }, 422, 'TEMPLATE_FILTER_UNKNOWN', { filter: 'shout', line: 1 }, /unknown filter "shout"/],
        [{ to: hooks, channels: ['webhook'], content: { body: 'Hi\n{% if name %}open' }, data: { name: 'a' } }, 422, 'TEMPLATE_SYNTAX_ERROR', { field: 'body', line: 2 }, /line 2/],
        [{ to: hooks, channels: ['webhook'], content: { body: 'Hi {{ name }}' } }, 422, 'TEMPLATE_VARIABLE_MISSING', { variable: 'name' }, /"name"/],
      ];
      for (const [body, status, code, details, detail] of cases) {
        const response = await call('POST', '/v1/messages', body);
        const problem = response.json();
        assert.equal(response.statusCode, status, `${JSON.stringify(body)} → ${response.body}`);
        assert.equal(problem.code, code, response.body);
        for (const [key, value] of Object.entries(details)) assert.equal(problem[key], value, `${key} in ${response.body}`);
        assert.match(problem.detail, detail);
      }
      assert.equal(await messageCount(), before, 'no rejected send stored a message');

      // `amount` is optional but used without a guard: render errors are per data set, also in batches.
      const batch = await call('POST', '/v1/messages/batch', {
        template: 'strict.vars',
        data: { coupon: 'C', amount: 2 },
        receivers: [{ to: hooks[0], data: { order: { id: 'ok' } } }, { to: hooks[0], data: { amount: 3 } }],
      });
      assert.equal(batch.statusCode, 422, batch.body);
      assert.equal(batch.json().variable, 'order');
      assert.equal(await messageCount(), before);
    });

    test('test send: a draft goes out as a traced message pinned to a draft snapshot, never published', async () => {
      await createTemplate({ code: 'test.me', defaultChannels: ['webhook'], variables: orderVariables, content: { title: 'Published {{ order.id }}', body: 'b' }, publish: true });
      await call('PATCH', '/v1/templates/test.me', { content: { title: 'Draft {{ order.id }}', body: 'b' } });

      const response = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }] });
      assert.equal(response.statusCode, 202, response.body);
      const accepted = response.json();
      assert.equal(accepted.templateVersion, -1, 'the draft is recorded as snapshot -1');
      const message = await completed(accepted.id);
      assert.deepEqual(message.metadata, { testSend: 'true' });
      assert.deepEqual(message.template, { code: 'test.me', version: -1 });
      assert.deepEqual(message.data, { order: { id: 'EX-1' }, amount: 10 }, 'data defaults to the examples');
      assert.equal(message.deliveries[0].status, 'sent');
      const received = webhookOf(accepted.id)!;
      assert.equal(received.title, 'Draft EX-1');
      assert.deepEqual(received.metadata, { testSend: 'true' });

      const snapshot = (await call('GET', '/v1/templates/test.me/versions/-1')).json();
      assert.equal(snapshot.kind, 'draft-snapshot');
      assert.equal(snapshot.content.title, 'Draft {{ order.id }}');
      assert.equal(snapshot.publishedBy, app.accessKeyId);
      const template = (await call('GET', '/v1/templates/test.me')).json();
      assert.deepEqual([template.publishedVersion, template.hasUnpublishedChanges], [1, true], 'a test send publishes nothing');
      assert.deepEqual((await call('GET', '/v1/templates/test.me/versions')).json().items.map((v: { version: number }) => v.version), [1]);

      // A real send still uses the published version.
      const real = await send({ to: [{ channelAccount: 'hooks' }], template: 'test.me', data: { order: { id: 'R-1' } } });
      assert.equal(real.templateVersion, 1);

      const again = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }], data: { order: { id: 'T-2' } } });
      assert.equal(again.json().templateVersion, -1, 'an unchanged draft reuses its snapshot');
      await call('PATCH', '/v1/templates/test.me', { content: { title: 'Draft 2 {{ order.id }}', body: 'b' } });
      const changed = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }] });
      assert.equal(changed.json().templateVersion, -2);
      const ofVersion = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }], version: 1, data: { order: { id: 'V-1' } } });
      assert.equal(ofVersion.json().templateVersion, 1);
      await completed(ofVersion.json().id);
      assert.equal(webhookOf(ofVersion.json().id)?.title, 'Published V-1');
      await call('POST', '/v1/templates/test.me/publish');
      const publishedDraft = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }] });
      assert.equal(publishedDraft.json().templateVersion, 2, 'a draft equal to the published version is that version');
      const testSends = (await call('GET', '/v1/messages?metadata=testSend:true')).json().items.map((m: { id: string }) => m.id);
      assert.ok(testSends.includes(accepted.id) && !testSends.includes(real.id));

      const before = await messageCount();
      const missing = await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }], data: { amount: 1 } });
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().code, 'TEMPLATE_VARIABLE_MISSING');
      assert.equal(missing.json().variable, 'order');
      const tooMany = await call('POST', '/v1/templates/test.me/test-send', { to: Array.from({ length: 11 }, (_, i) => ({ email: `t${i}@example.com` })) });
      assert.equal(tooMany.statusCode, 400);
      assert.equal((await call('POST', '/v1/templates/test.me/test-send', { to: [{ channelAccount: 'hooks' }], version: 7 })).statusCode, 404);
      assert.equal(await messageCount(), before);
    });

    test('a template is not deleted while messages rendered from it are still waiting to be delivered', async () => {
      await createTemplate({ code: 'later.t', defaultChannels: ['webhook'], content: { title: 'Later', body: 'b' }, publish: true });
      const scheduled = await send({ to: [{ channelAccount: 'hooks' }], template: 'later.t', delaySeconds: 3600 });
      const refused = await call('DELETE', '/v1/templates/later.t');
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'TEMPLATE_IN_USE');
      assert.equal(refused.json().pendingMessages, 1);

      // Retried, the waiting delivery still renders from its version.
      await call('PATCH', '/v1/templates/later.t', { content: { title: 'Edited', body: 'b' } });
      const delivery = (await call('GET', `/v1/messages/${scheduled.id}`)).json().deliveries[0];
      assert.equal((await call('POST', `/v1/messages/${scheduled.id}/cancel`)).statusCode, 200);
      assert.equal((await call('POST', `/v1/deliveries/${delivery.id}/retry`)).statusCode, 202);
      await completed(scheduled.id);
      assert.equal(webhookOf(scheduled.id)?.title, 'Later');

      assert.equal((await call('DELETE', '/v1/templates/later.t')).statusCode, 204);
      const kept = (await call('GET', `/v1/messages/${scheduled.id}`)).json();
      assert.deepEqual(kept.template, { code: 'later.t', version: 1 }, 'the message keeps its record');
    });
  });
}
