import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoopbackHttpServer, type LoopbackHttpServer } from '../../src/providers/conformance/loopback-http-server.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const TOKEN = 'scrape-secret-1';
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and these labels (others may be present); undefined when there is none. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

async function scrape(herald: TestHerald): Promise<{ text: string; samples: Sample[] }> {
  const response = await herald.server!.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return { text: response.body, samples: parseExposition(response.body) };
}

for (const dialect of testDialects) {
  describe(`/metrics after sends, retries and skips on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let hook: LoopbackHttpServer;
    let callbacks: LoopbackHttpServer;
    let hookRequests = 0;
    let callbackRequests = 0;
    let accountId: string;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    before(async () => {
      herald = await createTestHerald(dialect, {
        roles: ['api', 'worker'],
        // The token, and an allow-list that leaves out inject's 127.0.0.1: scrapes here need the token.
        env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_BACKOFF_BASE_MS: '1', HERALD_BACKOFF_MAX_MS: '10', HERALD_METRICS_TOKEN: TOKEN, HERALD_METRICS_ALLOW: '10.9.9.0/24' },
      });
      await herald.start();
      app = await createAppWithKey(herald, 'metrics-shop');
      // A webhook receiver that fails the first request and takes every later one.
      hook = await startLoopbackHttpServer((_request, _body, response) => void response.writeHead(++hookRequests === 1 ? 500 : 200).end('{}'));
      callbacks = await startLoopbackHttpServer((_request, _body, response) => {
        callbackRequests++;
        response.writeHead(204).end();
      });
      const created = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: `${hook.origin}/hook` } });
      assert.equal(created.statusCode, 201, created.body);
      accountId = created.json().id;
      // E-mail is configured but the receiver below has no e-mail address: its delivery is skipped at accept time.
      const smtp = await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: 2525, from: 'Shop <shop@example.com>' }, enabled: true });
      assert.equal(smtp.statusCode, 201, smtp.body);
    });
    after(async () => {
      await herald.close();
      await hook.close();
      await callbacks.close();
    });

    test('every family is present with the counts of the run', async () => {
      const sent = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'paid' }, callbackUrl: `${callbacks.origin}/result` });
      assert.equal(sent.statusCode, 202, sent.body);
      const skipped = await call('POST', '/v1/messages', { to: [{ phone: '+8613800138000' }], channels: ['email'], content: { body: 'nobody' } });
      assert.equal(skipped.statusCode, 202, skipped.body);
      assert.equal(skipped.json().deliveries[0].reason, 'NO_ADDRESS');
      const scheduled = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'later' }, delaySeconds: 3600 });
      assert.equal(scheduled.statusCode, 202, scheduled.body);
      const lookedUp = await call('GET', `/v1/messages/${sent.json().id}`);
      assert.equal(lookedUp.statusCode, 200, lookedUp.body);
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/no-such-route/12345' })).statusCode, 404);

      // The callback is the last thing the run does: once it is counted, so is everything before it. The queue
      // is read at most every 5 s, so an earlier scrape's read may still show the delivery in flight or waiting to retry.
      const { text, samples } = await waitFor(async () => {
        const scraped = await scrape(herald);
        const settled =
          valueOf(scraped.samples, 'herald_callbacks_total', { outcome: 'succeeded' }) === 1 &&
          ['sending', 'retrying'].every((status) => valueOf(scraped.samples, 'herald_queue_depth', { status }) === 0);
        return settled ? scraped : undefined;
      }, { what: 'the callback in the metrics, and an empty queue' });
      assert.equal(hookRequests, 2);
      assert.equal(callbackRequests, 1);

      assert.equal(valueOf(samples, 'herald_messages_accepted_total', { app: app.appId }), 3);
      const webhook = { channel: 'webhook', provider: 'webhook', account: accountId };
      assert.equal(valueOf(samples, 'herald_deliveries_total', { ...webhook, outcome: 'retrying' }), 1);
      assert.equal(valueOf(samples, 'herald_deliveries_total', { ...webhook, outcome: 'sent' }), 1);
      assert.equal(valueOf(samples, 'herald_deliveries_total', { channel: 'email', provider: '', account: '', outcome: 'skipped' }), 1);
      assert.equal(valueOf(samples, 'herald_send_duration_seconds_count', { provider: 'webhook' }), 2);
      assert.ok(valueOf(samples, 'herald_send_duration_seconds_sum', { provider: 'webhook' })! > 0);
      assert.equal(valueOf(samples, 'herald_send_duration_seconds_bucket', { provider: 'webhook', le: '+Inf' }), 2);
      assert.equal(valueOf(samples, 'herald_accept_to_sent_seconds_count', { channel: 'webhook' }), 1);
      assert.equal(valueOf(samples, 'herald_delivery_retries_total'), 1);
      assert.equal(valueOf(samples, 'herald_delivery_skips_total', { reason: 'NO_ADDRESS' }), 1);
      assert.equal(valueOf(samples, 'herald_callbacks_total', { outcome: 'succeeded' }), 1);
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'scheduled' }), 1);
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'queued' }), 0);
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'sending' }), 0);
      assert.equal(valueOf(samples, 'herald_queue_oldest_due_seconds'), 0);
      assert.equal(valueOf(samples, 'herald_http_requests_total', { method: 'POST', route: '/v1/messages', status: '202' }), 3);
      // The matched pattern, never the raw URL with its id.
      assert.equal(valueOf(samples, 'herald_http_requests_total', { method: 'GET', route: '/v1/messages/:id', status: '200' }), 1);
      assert.equal(valueOf(samples, 'herald_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }), 1);
      assert.ok(!text.includes(sent.json().id), 'no message id in any label');
      assert.equal(valueOf(samples, 'herald_http_request_duration_seconds_count', { method: 'POST', route: '/v1/messages' }), 3);
      // Families that nothing in this run fed are declared all the same, so dashboards and alerts find them.
      for (const family of ['herald_delivery_deferrals_total', 'herald_worker_lease_events_total', 'herald_worker_errors_total', 'herald_worker_leases']) {
        assert.match(text, new RegExp(`^# TYPE ${family} (counter|gauge)$`, 'm'));
      }
      assert.ok(valueOf(samples, 'herald_process_cpu_user_seconds_total')! >= 0, 'process metrics carry the herald_ prefix');
      assert.ok(valueOf(samples, 'herald_nodejs_heap_size_total_bytes')! > 0);
    });

    test('a scrape without the token from an address off the allow-list is 401; a wrong token is 401 even from an allowed one', async () => {
      const missing = await herald.server!.inject({ method: 'GET', url: '/metrics' });
      assert.equal(missing.statusCode, 401);
      assert.equal(missing.headers['content-type'], PROBLEM_JSON);
      assert.equal(missing.json().code, 'METRICS_TOKEN_MISSING');
      const wrong = await herald.server!.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-it' }, remoteAddress: '10.9.9.7' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().code, 'METRICS_TOKEN_INVALID');
      assert.ok(!wrong.body.includes(TOKEN), 'the token is never echoed');
      const allowed = await herald.server!.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.9.9.7' });
      assert.equal(allowed.statusCode, 200, allowed.body);
      assert.match(allowed.body, /^herald_messages_accepted_total/m);
    });

    test('/metrics is not in the OpenAPI document', async () => {
      const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.equal(spec.paths['/metrics'], undefined);
    });
  });

  describe(`queue metrics on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const clock = new ManualClock();

    before(async () => {
      // No worker: what is accepted stays due, so its age can be read.
      herald = await createTestHerald(dialect, { clock, env: { HERALD_METRICS_TOKEN: TOKEN } });
      app = await createAppWithKey(herald, 'queue-app');
      const created = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } } });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(() => herald.close());

    const send = async () => {
      const response = await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'due' } } });
      assert.equal(response.statusCode, 202, response.body);
    };

    test('depth and the oldest due age come from the database, read at most once per 5 seconds', async () => {
      await send();
      clock.advance(30_000);
      let { samples } = await scrape(herald);
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'queued' }), 1);
      assert.equal(valueOf(samples, 'herald_queue_oldest_due_seconds'), 30);

      await send();
      clock.advance(1000);
      ({ samples } = await scrape(herald));
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'queued' }), 1, 'within 5 s the earlier read answers');

      clock.advance(5000);
      ({ samples } = await scrape(herald));
      assert.equal(valueOf(samples, 'herald_queue_depth', { status: 'queued' }), 2);
      assert.equal(valueOf(samples, 'herald_queue_oldest_due_seconds'), 36);
    });
  });
}

for (const dialect of testDialects) {
  describe(`a worker process's ops port on ${dialect}`, () => {
    let herald: TestHerald;
    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['worker', 'scheduler'], env: { HERALD_OPS_PORT: '0', HERALD_METRICS_TOKEN: TOKEN, HERALD_METRICS_ALLOW: '10.9.9.0/24' } });
      await herald.start();
    });
    after(() => herald.close());

    test('without the api role it serves /healthz, /readyz and its own /metrics on HERALD_OPS_PORT, and nothing of the API', async () => {
      assert.equal(herald.server, undefined);
      const address = herald.opsServer!.server.address();
      assert.ok(address !== null && typeof address === 'object');
      const base = `http://127.0.0.1:${address.port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { liveWorkers: number }).liveWorkers, 1, 'this worker heartbeats');
      const refused = await fetch(`${base}/metrics`);
      assert.equal(refused.status, 401, 'the metrics token applies here too');
      const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(scraped.status, 200);
      const samples = parseExposition(await scraped.text());
      assert.ok(samples.some((sample) => sample.name === 'herald_queue_oldest_due_seconds'), 'the queue families are there');
      assert.ok(samples.some((sample) => sample.name === 'herald_process_resident_memory_bytes'));
      const api = await fetch(`${base}/v1/whoami`);
      assert.equal(api.status, 404);
    });
  });
}

for (const dialect of testDialects) {
  describe(`account quota gauges on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const clock = new ManualClock();

    before(async () => {
      herald = await createTestHerald(dialect, { clock, env: { HERALD_METRICS_TOKEN: TOKEN } });
      app = await createAppWithKey(herald, 'quota-metrics-app');
    });
    after(() => herald.close());

    const account = async (name: string, quota?: unknown) => {
      const created = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name, config: { url: 'http://127.0.0.1:9/hook' }, ...(quota ? { quota } : {}) } });
      assert.equal(created.statusCode, 201, created.body);
      return created.json() as { id: string };
    };

    test('herald_account_quota_remaining and _limit show accounts with quota information: counted usage, 0 while exhausted, nothing for the others', async () => {
      const daily = await account('daily', { period: 'day', limit: 100 });
      const marked = await account('marked');
      const plain = await account('plain');
      const { db } = herald.context.database;
      const quota = JSON.parse((await db.selectFrom('channel_accounts').select('quota').where('id', '=', daily.id).executeTakeFirstOrThrow()).quota!);
      // 2026-01-05 09:00 UTC is in the Shanghai day that began at 2026-01-04 16:00 UTC.
      assert.equal(quota.timeZone, 'Asia/Shanghai');
      await db.insertInto('account_quota_usage').values({ channel_account_id: daily.id, period_start: Date.UTC(2026, 0, 4, 16, 0), used: 40, updated_at: clock.now() }).execute();
      await db.updateTable('channel_accounts').set({ quota_exhausted: JSON.stringify({ sinceMs: clock.now(), untilMs: null, code: 'ALIYUN_isv.AMOUNT_NOT_ENOUGH', message: 'out of balance' }) }).where('id', '=', marked.id).execute();

      const { samples } = await scrape(herald);
      assert.equal(valueOf(samples, 'herald_account_quota_remaining', { account: daily.id, app: app.appId, type: 'webhook', name: 'daily' }), 60);
      assert.equal(valueOf(samples, 'herald_account_quota_limit', { account: daily.id }), 100);
      assert.equal(valueOf(samples, 'herald_account_quota_remaining', { account: marked.id }), 0);
      assert.equal(valueOf(samples, 'herald_account_quota_limit', { account: marked.id }), undefined, 'no limit is known');
      assert.equal(valueOf(samples, 'herald_account_quota_remaining', { account: plain.id }), undefined);
    });
  });
}
