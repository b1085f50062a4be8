import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { HeraldClient } from '../../sdk/src/index.ts';
import { createAppWithKey, createTestHerald, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const ROWS = 10_000;

for (const dialect of testDialects) {
  describe(`herald send and messages tail against a running Herald on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let url: string;
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => run(process.execPath, [MAIN, ...args], { env: { ...env, ...extraEnv }, maxBuffer: 16 * 1024 * 1024 });
    const db = () => herald.context.database.db;

    before(async () => {
      herald = await createTestHerald(dialect);
      await herald.start();
      url = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
      app = await createAppWithKey(herald);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-cli-'));
      // No database configuration at all: the remote commands need only the access key.
      env = { PATH: process.env.PATH, HOME: dir, HERALD_URL: url, HERALD_ACCESS_KEY: app.accessKeyId, HERALD_SECRET_KEY: app.secretAccessKey };
      const sdk = new HeraldClient({ url, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey });
      await sdk.request('POST', '/v1/channel-accounts', { body: { type: 'inbox', name: 'inbox', config: {} } });
      await sdk.request('POST', '/v1/templates', {
        body: { code: 'welcome', defaultChannels: ['inbox'], variables: [{ name: 'name', type: 'string', required: true, example: 'Ada' }], content: { title: 'Hi {{ name }}', body: 'Welcome, {{ name }}' }, publish: true },
      });
    });
    after(async () => {
      await herald.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test(`--csv of ${ROWS} rows killed halfway (SIGKILL) and run again: every row sent exactly once`, async () => {
      const csv = path.join(dir, 'crowd.csv');
      fs.writeFileSync(csv, `subscriberId,name\n${Array.from({ length: ROWS }, (_, i) => `user-${i},Name ${i}`).join('\n')}\n`);
      const args = [MAIN, 'send', '--csv', csv, '--template', 'welcome', '--chunk-size', '500'];

      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let progress = '';
      // Killed as soon as its progress line says half the rows are accepted, before it can send much more.
      child.stderr.on('data', (chunk: Buffer) => {
        progress += chunk.toString();
        if ([...progress.matchAll(/(\d+)\/10000 rows/g)].some((match) => Number(match[1]) >= ROWS / 2)) child.kill('SIGKILL');
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      assert.equal(await exited, 'SIGKILL', progress);
      const sentBeforeKill = await db().selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', app.appId).executeTakeFirstOrThrow();
      assert.ok(Number(sentBeforeKill.n) >= ROWS / 2 && Number(sentBeforeKill.n) < ROWS, `killed halfway: ${sentBeforeKill.n} deliveries`);

      const started = Date.now();
      const again = await cli(args.slice(1));
      const seconds = (Date.now() - started) / 1000;
      assert.match(again.stdout, new RegExp(`^${ROWS} rows accepted in 20 message\\(s\\), 0 refused; summary: `, 'm'));
      const counts = await db()
        .selectFrom('deliveries')
        .select((eb) => [eb.fn.countAll<number>().as('deliveries'), eb.fn.count<number>('address').distinct().as('receivers'), eb.fn.count<number>('message_id').distinct().as('messages')])
        .where('app_id', '=', app.appId)
        .executeTakeFirstOrThrow();
      assert.deepEqual({ deliveries: Number(counts.deliveries), receivers: Number(counts.receivers), messages: Number(counts.messages) }, { deliveries: ROWS, receivers: ROWS, messages: 20 });
      const summary = fs.readFileSync(`${csv}.summary.csv`, 'utf8').trim().split('\n');
      assert.equal(summary.length, ROWS + 1);
      assert.ok(summary.slice(1).every((line) => line.includes(',accepted,msg_')), summary.find((line) => !line.includes(',accepted,')));
      console.log(`# ${dialect}: the resumed run of ${ROWS} rows took ${seconds.toFixed(1)} s`);
    });

    test('refused rows are reported with their reasons while the rest of their chunk is sent; --to sends without a file', async () => {
      const csv = path.join(dir, 'mixed.csv');
      fs.writeFileSync(csv, 'phone,name\n+86 138-0013-8000,Ada\nnot-a-phone,Bob\n,Cy\n+8613900139000,Di\n');
      const summaryFile = path.join(dir, 'mixed-summary.csv');
      const refused = await cli(['send', '--csv', csv, '--template', 'welcome', '--channel', 'inbox', '--summary', summaryFile]).then(
        () => assert.fail('exit code 1 expected: rows were refused'),
        (error: { code: number; stdout: string }) => error,
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /2 rows accepted in 1 message\(s\), 2 refused/);
      const lines = fs.readFileSync(summaryFile, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'row,receiver,outcome,messageId,code,reason');
      assert.match(lines[1]!, /^2,phone:\+86 138-0013-8000,accepted,msg_/);
      assert.match(lines[2]!, /^3,phone:not-a-phone,refused,,PHONE_INVALID,/);
      assert.match(lines[3]!, /^4,,refused,,RECEIVER_MISSING,The phone column is empty/);
      assert.match(lines[4]!, /^5,phone:\+8613900139000,accepted,msg_/);

      const direct = await cli(['send', '--to', 'subscriberId:solo', '--to', 'subscriberId:duo', '--title', 'Deploy', '--body', 'v1.2 is live', '--channel', 'inbox', '--summary', path.join(dir, 'to.csv')]);
      assert.match(direct.stdout, /^2 rows accepted in 1 message\(s\), 0 refused/);
      // By type: the type's receivers are added to every message, so several chunks are refused before anything is sent.
      const sdk = new HeraldClient({ url, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey });
      await sdk.request('POST', '/v1/message-types', { body: { code: 'deploy.done', name: 'Deploy done', channels: ['inbox'], template: 'welcome', receivers: [{ subscriberId: 'ops' }] } });
      const byType = ['send', '--type', 'deploy.done', '--data', 'name=v1.2', '--to', 'subscriberId:dev1', '--to', 'subscriberId:dev2', '--summary', path.join(dir, 'type.csv')];
      await assert.rejects(cli([...byType, '--chunk-size', '1']), (error: { code: number; stderr: string }) => error.code === 1 && /TYPE_RECEIVERS_REPEATED/.test(error.stderr));
      const typed = await cli(byType);
      assert.match(typed.stdout, /^2 rows accepted in 1 message\(s\), 0 refused/);
      const typedMessage = await sdk.getMessage(/msg_\w+/.exec(fs.readFileSync(path.join(dir, 'type.csv'), 'utf8'))![0]);
      assert.deepEqual(typedMessage.deliveries!.map((delivery) => delivery.address).sort(), ['dev1', 'dev2', 'ops']);
      await assert.rejects(cli(['send', '--csv', csv]), (error: { code: number; stderr: string }) => error.code === 1 && /Say what to send.*ARGUMENT_MISSING/.test(error.stderr));
      await assert.rejects(cli(['send', '--to', 'u1', '--body', 'x'], { HERALD_URL: '', HOME: path.join(dir, 'nobody') }), (error: { stderr: string }) => /PROFILE_MISSING/.test(error.stderr));
    });

    test('messages tail (with a profile from the profiles file) prints new messages and their trail events', async () => {
      const profiles = path.join(dir, 'profiles.json');
      fs.writeFileSync(profiles, JSON.stringify({ staging: { url, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey } }), { mode: 0o600 });
      const tailEnv = { PATH: process.env.PATH, HOME: dir, HERALD_PROFILES_FILE: profiles };
      const tail = spawn(process.execPath, [MAIN, 'messages', 'tail', '--profile', 'staging', '--interval-ms', '100', '--json'], { env: tailEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      tail.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
      tail.stderr.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => tail.on('exit', (code) => resolve(code)));
      try {
        // What exists already is history, not printed: send once tail has listed it.
        await waitFor(() => errors.includes('following new messages'), { what: `tail to start: ${errors}` });
        const sent = await cli(['send', '--profile', 'staging', '--to', 'subscriberId:tailed', '--title', 'Hello', '--body', 'tail me', '--channel', 'inbox', '--summary', path.join(dir, 'tail.csv')], tailEnv);
        const messageId = /msg_\w+/.exec(fs.readFileSync(path.join(dir, 'tail.csv'), 'utf8'))?.[0];
        assert.ok(messageId, sent.stdout);
        const records = await waitFor(
          () => {
            const parsed = output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { kind: string; id?: string; messageId?: string; type?: string });
            return parsed.some((record) => record.kind === 'event' && record.messageId === messageId) && parsed;
          },
          { what: `tail output for ${messageId}: ${output}${errors}` },
        );
        assert.ok(records.some((record) => record.kind === 'message' && record.id === messageId));
        assert.deepEqual(records.filter((record) => record.kind === 'message').map((record) => record.id), [messageId], 'earlier messages are history, not printed');
        // A second message: the polls that find it and its trail see the first one's trail again, which is not printed again.
        const second = await cli(['send', '--profile', 'staging', '--to', 'subscriberId:tailed', '--title', 'Again', '--body', 'tail me too', '--channel', 'inbox', '--summary', path.join(dir, 'tail-2.csv')], tailEnv);
        const secondId = /msg_\w+/.exec(fs.readFileSync(path.join(dir, 'tail-2.csv'), 'utf8'))?.[0];
        assert.ok(secondId, second.stdout);
        const all = await waitFor(
          () => {
            const parsed = output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { kind: string; id?: string; messageId?: string; type?: string });
            return parsed.some((record) => record.kind === 'event' && record.messageId === secondId) && parsed;
          },
          { what: `tail output for ${secondId}` },
        );
        const events = all.filter((record) => record.kind === 'event');
        assert.deepEqual(events.map((record) => record.id), [...new Set(events.map((record) => record.id))], `an event was printed twice: ${output}`);
        assert.ok(events.some((record) => record.messageId === messageId && record.type === 'queued'), 'the delivery trail, its first event included');
      } finally {
        tail.kill('SIGTERM');
      }
      assert.equal(await exited, 0, errors);
    });
  });
}
