import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderDefinition, SendOutcome } from '../providers/provider.ts';
import { providerMap, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { deliveryTrail } from '../../test/support/message-trail.ts';

const COOLDOWN_SECONDS = 30;

/** An e-mail provider of its own type whose answer the test changes, counting its calls. */
function vendor(type: string, initial: SendOutcome) {
  let answer = initial;
  const calls: string[] = [];
  const definition: ProviderDefinition = {
    type,
    channel: 'email',
    target: 'address',
    configSchema: {} as never,
    secretFields: [],
    createSender: () => ({
      async send(request) {
        calls.push(request.deliveryId);
        return answer;
      },
    }),
  };
  return { definition, calls, answer: (next: SendOutcome) => void (answer = next) };
}

const down: SendOutcome = { kind: 'retry', code: 'HTTP_500', message: 'HTTP 500 from the vendor' };
const up: SendOutcome = { kind: 'sent', providerMessageId: 'vendor-1' };

for (const dialect of testDialects) {
  describe(`failover over a channel route on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    async function routedAccounts(mode: 'failover' | 'weighted' = 'failover') {
      const primary = vendor('primary-vendor', down);
      const secondary = vendor('secondary-vendor', up);
      const primaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'primary-vendor', channel: 'email', nowMs: bed.clock.now() });
      const secondaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'secondary-vendor', channel: 'email', nowMs: bed.clock.now() });
      await bed.database.db
        .insertInto('channel_routes')
        .values({ app_id: bed.appId, channel: 'email', mode, accounts: JSON.stringify([{ accountId: primaryId, weight: 1 }, { accountId: secondaryId, weight: 1 }]), updated_at: bed.clock.now() })
        .execute();
      const worker = bed.createWorker({ providers: providerMap(primary.definition, secondary.definition), config: { delivery: { circuitFailureThreshold: 3, circuitCooldownSeconds: COOLDOWN_SECONDS } } });
      return { primary, secondary, primaryId, secondaryId, worker };
    }

    const rowOf = (id: string) => bed.database.db.selectFrom('deliveries').select(['status', 'attempts', 'channel_account_id', 'run_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const trailOf = async (id: string) =>
      (await deliveryTrail(bed.database, id)).map(({ type, code, detail }) => ({ type, code, detail }));

    test('the primary answering 500 sends the same delivery through the secondary at once; the trail names both accounts', async () => {
      const { primary, secondary, primaryId, secondaryId, worker } = await routedAccounts();
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), address: () => 'li@example.com' });
      const [id] = deliveryIds as [string];

      // The move makes it due at once: the same drain claims it again, through the secondary.
      assert.equal(await worker.drain(), 2);
      assert.deepEqual([primary.calls, secondary.calls], [[id], [id]]);
      assert.deepEqual({ ...(await rowOf(id)) }, { status: 'sent', attempts: 2, channel_account_id: secondaryId, run_at: null });

      const trail = await trailOf(id);
      assert.deepEqual(trail.map((event) => event.type), ['queued', 'sending', 'rerouted', 'sending', 'sent']);
      const rerouted = trail[2]!;
      assert.equal(rerouted.code, 'HTTP_500');
      assert.match(rerouted.detail!, /"account-\S+" \(primary-vendor\) failed \(HTTP_500: HTTP 500 from the vendor\); failing over to "account-\S+" \(secondary-vendor\)/);
    });

    test('the circuit opens after 3 transient failures in a row: later deliveries skip the primary without an attempt; after the cool-down a probe that succeeds closes it', async () => {
      const { primary, primaryId, secondaryId, worker } = await routedAccounts();
      const first = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), count: 3, address: (i) => `first-${i}@example.com` });
      assert.equal(await worker.drain(), 6, 'three failures on the primary, three sends through the secondary');
      const circuit = () => bed.database.db.selectFrom('account_circuits').select(['consecutive_failures', 'open_until']).where('channel_account_id', '=', primaryId).executeTakeFirstOrThrow();
      assert.deepEqual({ ...(await circuit()) }, { consecutive_failures: 3, open_until: bed.clock.now() + COOLDOWN_SECONDS * 1000 });
      for (const id of first.deliveryIds) assert.deepEqual(Object.values(await rowOf(id)).slice(0, 3), ['sent', 2, secondaryId]);

      const callsBefore = primary.calls.length;
      const later = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), address: () => 'later@example.com' });
      const [laterId] = later.deliveryIds as [string];
      await worker.drain();
      assert.equal(primary.calls.length, callsBefore, 'nothing was sent through the open circuit');
      assert.deepEqual({ ...(await rowOf(laterId)) }, { status: 'sent', attempts: 1, channel_account_id: secondaryId, run_at: null }, 'moved before sending: the attempt was not used');
      assert.deepEqual((await trailOf(laterId)).map((event) => [event.type, event.code]), [['queued', null], ['sending', null], ['rerouted', 'CIRCUIT_OPEN'], ['sending', null], ['sent', null]]);

      bed.clock.advance(COOLDOWN_SECONDS * 1000);
      primary.answer(up);
      const probe = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), address: () => 'probe@example.com' });
      await worker.drain();
      assert.equal((await rowOf(probe.deliveryIds[0]!)).channel_account_id, primaryId, 'after the cool-down the primary is tried again');
      assert.equal((await rowOf(probe.deliveryIds[0]!)).status, 'sent');
      assert.deepEqual({ ...(await circuit()) }, { consecutive_failures: 0, open_until: null }, 'a successful probe closes the circuit');
    });

    test('a delivery outside any route keeps its account and backs off as before', async () => {
      const { primary, primaryId, worker } = await routedAccounts();
      await bed.database.db.deleteFrom('channel_routes').execute();
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), address: () => 'solo@example.com' });
      await worker.drain();
      const row = await rowOf(deliveryIds[0]!);
      assert.deepEqual([row.status, row.channel_account_id], ['retrying', primaryId]);
      assert.ok(row.run_at! > bed.clock.now(), 'backoff, not failover');
      assert.equal(primary.calls.length, 1);
      assert.equal(await bed.database.db.selectFrom('account_circuits').select('channel_account_id').executeTakeFirst(), undefined, 'no circuit bookkeeping outside routes');
    });
  });
}
