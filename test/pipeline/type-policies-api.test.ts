import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

/** The type's policies as a business system meets them: set on the type through the API, applied to the one-line send by type. */

for (const dialect of testDialects) {
  describe(`message-type policies through the API on ${dialect}`, () => {
    // Monday 5 January 2026, 12:30 UTC: 20:30 in Shanghai, 07:30 in New York.
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
    let herald: TestHerald;
    let app: AppCredentials;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.json();
    };

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'night-shift');
      await ok('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: 'smtp.example.com', port: 587, from: 'Ops <ops@example.com>' } }, 201);
      await ok('PUT', '/v1/subscribers', {
        items: [
          { externalId: 'li', timezone: 'Asia/Shanghai', tags: ['oncall'], addresses: { email: 'li@example.com' } },
          { externalId: 'ann', timezone: 'America/New_York', tags: ['oncall'], addresses: { email: 'ann@example.com' } },
        ],
      }, 200);
      await ok('POST', '/v1/receiver-groups', { name: 'oncall', tagFilter: ['oncall'] }, 201);
      await ok('POST', '/v1/message-types', {
        code: 'disk.low',
        name: 'Disk space low',
        category: '服务器警告',
        urgency: 'normal',
        channels: ['email'],
        receivers: [{ group: 'oncall' }],
        policies: { quietHours: { start: '20:00', end: '08:00', action: 'hold' }, dedupSeconds: 600, frequencyCap: { count: 2, perSeconds: 3600 } },
      }, 201);
    });
    after(() => herald.close());

    test('one rule holds each receiver until their own 08:00; a repeat is DUPLICATE; a third message in the hour is FREQUENCY_CAP', async () => {
      const first = await ok('POST', '/v1/messages', { type: 'disk.low', content: { title: 'Disk', body: 'db1 at 91%' } }, 202);
      const rows = await herald.context.database.db.selectFrom('deliveries').select(['address', 'status', 'run_at', 'last_error_code']).where('message_id', '=', first.id).execute();
      const byAddress = Object.fromEntries(rows.map((row) => [row.address, [row.status, row.run_at, row.last_error_code]]));
      assert.deepEqual(byAddress, {
        'li@example.com': ['scheduled', Date.UTC(2026, 0, 6, 0, 0), 'QUIET_HOURS'],
        'ann@example.com': ['scheduled', Date.UTC(2026, 0, 5, 13, 0), 'QUIET_HOURS'],
      });

      const repeat = await ok('POST', '/v1/messages', { type: 'disk.low', content: { title: 'Disk', body: 'db1 at 91%' } }, 202);
      assert.deepEqual(repeat.deliveries.map((d: { status: string; reason?: string }) => [d.status, d.reason]), [['skipped', 'DUPLICATE'], ['skipped', 'DUPLICATE']]);
      const second = await ok('POST', '/v1/messages', { type: 'disk.low', content: { title: 'Disk', body: 'db1 at 95%' } }, 202);
      assert.ok(second.deliveries.every((d: { status: string }) => d.status === 'scheduled'), 'new content within the cap is held like the first');
      const third = await ok('POST', '/v1/messages', { type: 'disk.low', content: { title: 'Disk', body: 'db1 at 99%' } }, 202);
      assert.deepEqual(third.deliveries.map((d: { reason?: string }) => d.reason), ['FREQUENCY_CAP', 'FREQUENCY_CAP']);

      const ids = async (reason: string) => (await ok('GET', `/v1/messages?reason=${reason}`, undefined, 200)).items.map((message: { id: string }) => message.id).sort();
      // Every decision is in the trail: the night hold came before the later two were skipped.
      assert.deepEqual(await ids('QUIET_HOURS'), [first.id, repeat.id, second.id, third.id].sort());
      assert.deepEqual(await ids('DUPLICATE'), [repeat.id]);
      assert.deepEqual(await ids('FREQUENCY_CAP'), [third.id]);
      assert.deepEqual(await ids('OPTED_OUT'), []);
    });
  });
}
