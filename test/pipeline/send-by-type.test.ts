import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { MAX_GROUP_RECEIVERS } from '../../src/domain/receiver-groups/receiver-group-service.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

interface Delivery {
  id: string;
  channel: string;
  address: string | null;
  status: string;
  reason?: string;
}

for (const dialect of testDialects) {
  describe(`send by message type to receiver groups on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.json();
    };
    const send = (body: Record<string, unknown>) => ok('POST', '/v1/messages', body, 202);
    const byAddress = (deliveries: Delivery[]) => deliveries.map((d) => [d.address, d.status, d.reason]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const mail = (id: string) => `${id}@example.com`;

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'ops');
      smtp = await startSmtpTestServer();
      await ok('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Ops <ops@example.com>' } }, 201);
      await ok('POST', '/v1/templates', {
        code: 'alert.down',
        defaultChannels: ['email'],
        variables: [{ name: 'host', type: 'string', required: true, example: 'db1' }],
        content: { title: 'Server {{ host }} is down', body: 'Check {{ host }} now.' },
        publish: true,
      }, 201);
      const people = [
        { externalId: 'ann', tags: ['oncall', 'dba'] },
        { externalId: 'bob', tags: ['oncall'] },
        { externalId: 'cy', tags: ['dba'] },
        { externalId: 'dee', tags: [] },
        { externalId: 'eve', tags: ['oncall', 'web'] },
      ];
      await ok('PUT', '/v1/subscribers', { items: people.map((p) => ({ ...p, addresses: { email: mail(p.externalId) } })) }, 200);
      await ok('POST', '/v1/receiver-groups', { name: 'ops', members: ['dee'], tagFilter: ['oncall', 'dba'] }, 201);
      await ok('POST', '/v1/message-types', {
        code: 'server.down',
        name: 'Server down',
        category: '服务器警告',
        urgency: 'high',
        channels: ['email'],
        template: 'alert.down',
        receivers: [{ group: 'ops' }],
      }, 201);
    });
    after(async () => {
      await herald.close();
      await smtp.close();
    });

    test('the one-line send by type reaches the group members (static and by all tags) on its channels with its template and urgency', async () => {
      const accepted = await send({ type: 'server.down', data: { host: 'db1' } });
      assert.deepEqual(byAddress(accepted.deliveries), [
        [mail('ann'), 'queued', undefined],
        [mail('dee'), 'queued', undefined],
      ]);
      await waitFor(async () => (await call('GET', `/v1/messages/${accepted.id}`)).json().status === 'completed', { what: 'the message completed' });
      const sent = smtp.received.filter((m) => m.to.some((to) => [mail('ann'), mail('dee')].includes(to)));
      assert.equal(sent.length, 2);
      for (const received of sent) assert.equal((await simpleParser(received.raw)).subject, 'Server db1 is down');
      const row = await herald.context.database.db.selectFrom('messages').select(['type_code', 'priority', 'template_code']).where('id', '=', accepted.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { type_code: 'server.down', priority: 1, template_code: 'alert.down' });
      const found = (await ok('GET', '/v1/messages?type=server.down', undefined, 200)).items;
      assert.deepEqual(found.map((m: { id: string; type: string }) => [m.id, m.type]), [[accepted.id, 'server.down']]);
      assert.deepEqual((await ok('GET', '/v1/messages?type=order.paid', undefined, 200)).items, []);
    });

    test('membership changes apply to the next message; extra `to` joins once; the request overrides the type', async () => {
      await ok('PATCH', '/v1/receiver-groups/ops', { tagFilter: ['oncall'] }, 200);
      assert.deepEqual((await ok('GET', '/v1/receiver-groups/ops/members', undefined, 200)).items.sort(), ['ann', 'bob', 'dee', 'eve']);
      const accepted = await send({ type: 'server.down', data: { host: 'web1' }, to: ['cy', 'bob'], priority: 'low', delaySeconds: 600 });
      assert.deepEqual(byAddress(accepted.deliveries).map(([address]) => address), ['ann', 'bob', 'cy', 'dee', 'eve'].map(mail));
      const row = await herald.context.database.db.selectFrom('messages').select(['priority']).where('id', '=', accepted.id).executeTakeFirstOrThrow();
      assert.equal(row.priority, 3, 'the request priority over the type urgency');
      await ok('POST', `/v1/messages/${accepted.id}/cancel`, undefined, 200);
    });

    test('opt-outs per type, category, channel and everything skip OPTED_OUT; the most specific setting wins; critical types bypass them', async () => {
      await ok('PATCH', '/v1/receiver-groups/ops', { members: ['dee', 'cy'], tagFilter: ['oncall'] }, 200);
      await ok('PUT', '/v1/subscribers/ann/preferences', { types: { 'server.down': false } }, 200);
      await ok('PUT', '/v1/subscribers/bob/preferences', { categories: { 服务器警告: false } }, 200);
      await ok('PUT', '/v1/subscribers/cy/preferences', { channels: { email: false } }, 200);
      await ok('PUT', '/v1/subscribers/dee/preferences', { all: false }, 200);
      await ok('PUT', '/v1/subscribers/eve/preferences', { all: false, categories: { 服务器警告: true } }, 200);
      assert.deepEqual(await ok('GET', '/v1/subscribers/eve/preferences', undefined, 200), { all: false, categories: { 服务器警告: true } });

      const accepted = await send({ type: 'server.down', data: { host: 'db2' }, delaySeconds: 600 });
      assert.deepEqual(byAddress(accepted.deliveries), [
        [mail('ann'), 'skipped', 'OPTED_OUT'],
        [mail('bob'), 'skipped', 'OPTED_OUT'],
        [mail('cy'), 'skipped', 'OPTED_OUT'],
        [mail('dee'), 'skipped', 'OPTED_OUT'],
        [mail('eve'), 'scheduled', undefined],
      ]);
      const annDelivery = accepted.deliveries.find((d: Delivery) => d.address === mail('ann'))!;
      const events = (await ok('GET', `/v1/messages/${accepted.id}`, undefined, 200)).events.filter((e: { deliveryId: string | null }) => e.deliveryId === annDelivery.id);
      assert.deepEqual(events.map((e: { type: string; code: string | null; detail: string | null }) => [e.type, e.code, e.detail]), [['skipped', 'OPTED_OUT', 'The subscriber opted out of server.down on email']]);
      await ok('POST', `/v1/messages/${accepted.id}/cancel`, undefined, 200);

      // A send without a type: only `all` and channels apply.
      const plain = await send({ to: ['ann', 'cy', 'dee'], channels: ['email'], content: { title: 'Hi', body: 'Hello' }, delaySeconds: 600 });
      assert.deepEqual(byAddress(plain.deliveries).map(([, status]) => status), ['scheduled', 'skipped', 'skipped']);
      await ok('POST', `/v1/messages/${plain.id}/cancel`, undefined, 200);

      await ok('PATCH', '/v1/message-types/server.down', { critical: true }, 200);
      const critical = await send({ type: 'server.down', data: { host: 'db3' }, delaySeconds: 600 });
      assert.deepEqual(byAddress(critical.deliveries).map(([, status]) => status), ['scheduled', 'scheduled', 'scheduled', 'scheduled', 'scheduled']);
      await ok('POST', `/v1/messages/${critical.id}/cancel`, undefined, 200);
      await ok('PATCH', '/v1/message-types/server.down', { critical: false }, 200);
      for (const id of ['ann', 'bob', 'cy', 'dee', 'eve']) await ok('PUT', `/v1/subscribers/${id}/preferences`, {}, 200);
    });

    test('unknown or disabled types, unknown groups and missing receivers are refused with their codes', async () => {
      const refused = async (body: unknown, status: number, code: string) => {
        const response = await call('POST', '/v1/messages', body);
        assert.equal(response.statusCode, status, response.body);
        assert.equal(response.json().code, code);
        return response.json();
      };
      await refused({ type: 'no.such', data: {} }, 404, 'MESSAGE_TYPE_NOT_FOUND');
      await refused({ type: 'Bad Code' }, 400, 'VALIDATION_FAILED');
      const unknownGroup = await refused({ to: [{ group: 'ghosts' }, 'ann'], channels: ['email'], content: { title: 'x', body: 'y' } }, 422, 'RECEIVER_GROUP_NOT_FOUND');
      assert.deepEqual(unknownGroup.groups, ['ghosts']);
      await refused({ channels: ['email'], content: { title: 'x', body: 'y' } }, 400, 'RECEIVERS_MISSING');
      await ok('PATCH', '/v1/message-types/server.down', { enabled: false }, 200);
      await refused({ type: 'server.down', data: { host: 'x' } }, 422, 'MESSAGE_TYPE_DISABLED');
      await ok('PATCH', '/v1/message-types/server.down', { enabled: true }, 200);

      assert.equal((await call('POST', '/v1/message-types', { code: 'server.down' })).json().code, 'MESSAGE_TYPE_EXISTS');
      assert.equal((await call('POST', '/v1/message-types', { code: 'x', urgency: 'whenever' })).statusCode, 400);
      const ghostType = await call('POST', '/v1/message-types', { code: 'ghost.alert', receivers: [{ group: 'ghosts' }, 'ann'] });
      assert.equal(ghostType.statusCode, 422, ghostType.body);
      assert.deepEqual([ghostType.json().code, ghostType.json().groups], ['RECEIVER_GROUP_NOT_FOUND', ['ghosts']]);
      assert.equal((await call('POST', '/v1/receiver-groups', { name: 'empty' })).json().code, 'RECEIVER_GROUP_EMPTY');
      assert.equal((await call('POST', '/v1/receiver-groups', { name: 'ops', members: ['ann'] })).json().code, 'RECEIVER_GROUP_EXISTS');
      assert.equal((await call('GET', '/v1/receiver-groups/ghosts/members')).statusCode, 404);
      assert.equal((await call('PUT', '/v1/subscribers/nobody/preferences', {})).statusCode, 404);
      assert.equal((await call('PUT', '/v1/subscribers/ann/preferences', { channels: { pigeon: false } })).statusCode, 400);
    });

    test('subscriber tags: stored sorted and deduplicated, replaced by PATCH, listed', async () => {
      await ok('PATCH', '/v1/subscribers/dee', { tags: ['web', 'oncall', 'web'] }, 200);
      assert.deepEqual((await ok('GET', '/v1/subscribers/dee', undefined, 200)).tags, ['oncall', 'web']);
      const listed = (await ok('GET', '/v1/subscribers?limit=200', undefined, 200)).items.map((s: { externalId: string; tags: string[] }) => [s.externalId, s.tags]);
      assert.deepEqual(listed.find(([id]: [string]) => id === 'ann'), ['ann', ['dba', 'oncall']]);
      await ok('PATCH', '/v1/subscribers/dee', { tags: [] }, 200);
      assert.deepEqual((await ok('GET', '/v1/subscribers/dee', undefined, 200)).tags, []);
    });

    test('a deleted subscriber is no longer a static member; a group of nobody is refused NO_RECEIVERS', async () => {
      await ok('POST', '/v1/subscribers', { externalId: 'zed', addresses: { email: mail('zed') } }, 201);
      await ok('POST', '/v1/receiver-groups', { name: 'solo', members: ['zed'] }, 201);
      assert.deepEqual((await ok('GET', '/v1/receiver-groups/solo/members', undefined, 200)).items, ['zed']);
      assert.equal((await call('DELETE', '/v1/subscribers/zed')).statusCode, 204);
      assert.deepEqual((await ok('GET', '/v1/receiver-groups/solo/members', undefined, 200)).items, []);
      const response = await call('POST', '/v1/messages', { to: [{ group: 'solo' }], channels: ['email'], content: { title: 'x', body: 'y' } });
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().code, 'NO_RECEIVERS');
    });

    test('a group a message type sends to cannot be deleted until the type lets go of it', async () => {
      await ok('POST', '/v1/receiver-groups', { name: 'night-crew', members: ['ann'] }, 201);
      await ok('POST', '/v1/message-types', { code: 'night.alert', name: 'Night alert', urgency: 'high', channels: ['email'], receivers: [{ group: 'night-crew' }] }, 201);
      const refused = await call('DELETE', '/v1/receiver-groups/night-crew');
      assert.equal(refused.statusCode, 409, refused.body);
      assert.deepEqual([refused.json().code, refused.json().messageTypes], ['RECEIVER_GROUP_IN_USE', ['night.alert']]);
      assert.equal((await call('DELETE', '/v1/message-types/night.alert')).statusCode, 204);
      assert.equal((await call('DELETE', '/v1/receiver-groups/night-crew')).statusCode, 204);
    });

    test(`a group over ${MAX_GROUP_RECEIVERS} members is refused GROUP_TOO_LARGE; at the cap it is sent`, async () => {
      const items = Array.from({ length: MAX_GROUP_RECEIVERS }, (_, i) => ({ externalId: `bulk-${i}`, tags: ['bulk'], addresses: { email: `bulk-${i}@example.com` } }));
      await ok('PUT', '/v1/subscribers', { items }, 200);
      await ok('POST', '/v1/receiver-groups', { name: 'everyone', tagFilter: ['bulk'] }, 201);
      const full = await send({ to: [{ group: 'everyone' }], channels: ['email'], content: { title: 'x', body: 'y' }, delaySeconds: 600 });
      assert.equal(full.deliveries.length, MAX_GROUP_RECEIVERS);
      await ok('POST', `/v1/messages/${full.id}/cancel`, undefined, 200);
      await ok('POST', '/v1/subscribers', { externalId: 'bulk-extra', tags: ['bulk'] }, 201);
      const response = await call('POST', '/v1/messages', { to: [{ group: 'everyone' }], channels: ['email'], content: { title: 'x', body: 'y' } });
      assert.equal(response.statusCode, 422, response.body);
      assert.deepEqual([response.json().code, response.json().group], ['GROUP_TOO_LARGE', 'everyone']);
    });
  });
}
