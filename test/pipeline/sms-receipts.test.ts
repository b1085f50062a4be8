import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceiptRequest } from '../../src/providers/provider.ts';
import { startTwilioSmsTestServer, type TwilioSmsTestServer } from '../../src/providers/twilio-sms/twilio-sms-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** Delivery receipts end to end: Twilio is told where to push them, pushes them there, and the delivery follows. */

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-auth-token-7d1e';
const PUBLIC_URL = 'https://herald.example.com';

for (const dialect of testDialects) {
  describe(`SMS delivery receipts through the receipt endpoint on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let twilio: TwilioSmsTestServer;
    let receiptUrl: string;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    /** Posts a push as the platform would, to the path of the URL it was given. */
    const deliver = (push: ReceiptRequest) => {
      const url = new URL(push.url);
      return herald.server!.inject({ method: 'POST', url: `${url.pathname}${url.search}`, headers: push.headers as Record<string, string>, payload: push.body });
    };

    /** Sends one SMS and answers its delivery once sent, with the sid Twilio gave it. */
    async function sentSms(to: string) {
      const accepted = await call('POST', '/v1/messages', { to: [{ phone: to }], channels: ['sms'], content: { body: 'Your parcel is on its way' } });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const messageId = accepted.json().id as string;
      return waitFor(async () => {
        const message = (await call('GET', `/v1/messages/${messageId}`)).json();
        const delivery = message.deliveries[0];
        return delivery.status === 'sent' ? { messageId, delivery } : undefined;
      }, { what: `SMS to ${to} sent` });
    }

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_PUBLIC_URL: PUBLIC_URL } });
      await herald.start();
      app = await createAppWithKey(herald, 'parcels');
      twilio = await startTwilioSmsTestServer({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
      const account = await call('POST', '/v1/channel-accounts', { type: 'twilio-sms', name: 'twilio', config: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.baseUrl } });
      assert.equal(account.statusCode, 201, account.body);
      receiptUrl = account.json().receiptUrl;
      assert.match(receiptUrl, new RegExp(`^${PUBLIC_URL}/receipts/${account.json().id}/[A-Za-z0-9_-]{32}$`), 'the account shows where receipts go');
    });
    after(async () => {
      await herald.close();
      await twilio.close();
    });

    test('Twilio is given the receipt URL; its signed "delivered" and "undelivered" pushes move the deliveries, with the carrier code in the trail', async () => {
      const first = await sentSms('+14155550100');
      const second = await sentSms('+14155550101');
      const sids = twilio.received.map((message) => message.sid);
      assert.deepEqual(twilio.received.map((message) => message.form.StatusCallback), [receiptUrl, receiptUrl]);
      assert.deepEqual([first.delivery.providerMessageId, second.delivery.providerMessageId], sids);

      const delivered = await deliver(twilio.statusPush(sids[0]!, 'delivered'));
      assert.equal(delivered.statusCode, 200, delivered.body);
      const undelivered = await deliver(twilio.statusPush(sids[1]!, 'undelivered', { errorCode: '30003' }));
      assert.equal(undelivered.statusCode, 200, undelivered.body);
      // An intermediate status is answered and changes nothing.
      assert.equal((await deliver(twilio.statusPush(sids[0]!, 'sent'))).statusCode, 200);

      const firstMessage = (await call('GET', `/v1/messages/${first.messageId}`)).json();
      assert.equal(firstMessage.deliveries[0].status, 'delivered');
      assert.equal(firstMessage.status, 'completed');
      const secondMessage = (await call('GET', `/v1/messages/${second.messageId}`)).json();
      assert.equal(secondMessage.deliveries[0].status, 'undelivered');
      assert.equal(secondMessage.status, 'failed', 'its only delivery never arrived');
      const trail = (secondMessage.events as Array<{ type: string; code: string | null }>).map((event) => [event.type, event.code]);
      assert.deepEqual(trail.slice(-2), [['undelivered', '30003'], ['completed', 'failed']]);
    });

    test('a push with a bad signature is refused (403) and changes nothing; a wrong token is not found', async () => {
      const { messageId } = await sentSms('+14155550102');
      const sid = twilio.received.at(-1)!.sid;
      const forged = await deliver(twilio.statusPush(sid, 'undelivered', { errorCode: '30003', signWithToken: 'not-the-auth-token' }));
      assert.equal(forged.statusCode, 403);
      assert.equal((await call('GET', `/v1/messages/${messageId}`)).json().deliveries[0].status, 'sent');

      const push = twilio.statusPush(sid, 'delivered');
      const wrongToken = await herald.server!.inject({ method: 'POST', url: new URL(push.url).pathname.replace(/[^/]+$/, 'not-the-token'), headers: push.headers as Record<string, string>, payload: push.body });
      assert.equal(wrongToken.statusCode, 404);
      assert.equal(wrongToken.json().code, 'RECEIPT_ENDPOINT_UNKNOWN');
      assert.equal((await call('GET', `/v1/messages/${messageId}`)).json().deliveries[0].status, 'sent');
    });

    test('rotating the receipt URL: the new one works at once, the previous one until its grace period ends, then is not found', async () => {
      const first = await sentSms('+14155550103');
      const second = await sentSms('+14155550104');
      const [firstSid, secondSid] = twilio.received.slice(-2).map((message) => message.sid);
      const rotated = await call('POST', '/v1/channel-accounts/twilio/receipt-url/rotate');
      assert.equal(rotated.statusCode, 200, rotated.body);
      const newUrl = rotated.json().receiptUrl as string;
      assert.notEqual(newUrl, receiptUrl);
      assert.ok(Date.parse(rotated.json().previousReceiptUrlValidUntil) > Date.now() + 23 * 3_600_000, 'the previous URL works for a day by default');
      assert.equal((await call('GET', '/v1/channel-accounts/twilio')).json().receiptUrl, newUrl);

      // The first SMS went out naming the previous URL: its receipt still counts.
      assert.equal((await deliver(twilio.statusPush(firstSid!, 'delivered'))).statusCode, 200);
      assert.equal((await call('GET', `/v1/messages/${first.messageId}`)).json().deliveries[0].status, 'delivered');

      // Rotating again with no grace ends the URL before at once: Twilio's push for the second SMS, sent with the original URL, is refused.
      const again = await call('POST', '/v1/channel-accounts/twilio/receipt-url/rotate?previousValidForSeconds=0');
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().previousReceiptUrlValidUntil, null);
      assert.notEqual(again.json().receiptUrl, newUrl);
      const refused = await deliver(twilio.statusPush(secondSid!, 'delivered'));
      assert.equal(refused.statusCode, 404);
      assert.equal(refused.json().code, 'RECEIPT_ENDPOINT_UNKNOWN');
      assert.equal((await call('GET', `/v1/messages/${second.messageId}`)).json().deliveries[0].status, 'sent');

      const rows = await herald.context.database.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'POST /v1/channel-accounts/{idOrName}/receipt-url/rotate').execute();
      assert.equal(rows.length, 2, 'each rotation is audited');
    });

    test('an account whose provider takes no receipts has no receipt URL to rotate (409); bad grace periods are refused (400)', async () => {
      assert.equal((await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } })).statusCode, 201);
      const refused = await call('POST', '/v1/channel-accounts/hooks/receipt-url/rotate');
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'RECEIPTS_NOT_TAKEN');
      for (const previousValidForSeconds of [-1, 604_801, 1.5, 'soon']) {
        const bad = await call('POST', `/v1/channel-accounts/twilio/receipt-url/rotate?previousValidForSeconds=${previousValidForSeconds}`);
        assert.equal(bad.statusCode, 400, `${previousValidForSeconds}: ${bad.body}`);
      }
      assert.equal((await call('POST', '/v1/channel-accounts/nobody/receipt-url/rotate')).statusCode, 404);
    });
  });
}
