import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { CHANNEL_CATALOG } from '../../channels/channel-catalog.ts';
import type { ProviderContext, ProviderDefinition, ProviderSender, RenderedMessage, SendOutcome } from '../provider.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  findClosedPort,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from './provider-test-support.ts';

/**
 * The contract every provider that calls a platform keeps, run by each provider's own test file
 * against its local test server. Provider-specific behaviour (signatures, error codes) is tested
 * next to the provider. The inbox provider is exempt: it calls no platform (it writes to Herald's
 * own database through `ProviderContext.inbox`), so server errors, refused connections, hangs and
 * the loopback policy do not apply to it, and its config is valid empty; its own tests cover its
 * definition, outcomes and storage on every dialect.
 */

/** What a provider's test server must offer the suite. */
export interface ConformanceServer {
  readonly port: number;
  /** Requests (HTTP) or mail transactions (SMTP) that reached the server, accepted or not. */
  readonly requestCount: number;
  /** `transient-error`: the provider's own transient failure (HTTP 500, SMTP 451). `hang`: accept and never answer. */
  setMode(mode: 'normal' | 'transient-error' | 'hang'): void;
  close(): Promise<void>;
}

export interface ProviderConformanceOptions<Config> {
  definition: ProviderDefinition<Config>;
  startServer(): Promise<ConformanceServer>;
  /** A valid account config for a server listening on 127.0.0.1:`port`. */
  accountConfig(port: number): Config;
  /** For `address` providers: a recipient the test server accepts. */
  address?: string;
  /** For providers with `maxRecipientsPerCall`: at least two recipients the test server accepts. */
  batchAddresses?: readonly string[];
  /** Structured content the provider needs in the sample request (a vendor template's id and data), as the renderers put it in `extras`. */
  extras?: Record<string, unknown>;
  /** Content in the channel's own dialect, where the sample's Markdown is not valid there (Telegram MarkdownV2 refuses an unescaped `.`). */
  content?: Partial<RenderedMessage>;
  /** Configs the schema must reject, besides the generic ones (empty, unknown field, non-string secret). */
  invalidConfigs?: ReadonlyArray<{ name: string; config: unknown }>;
  /** What the worker adds to every send's context for this provider (Web Push: its subscription directory). */
  context?: Partial<ProviderContext>;
}

const TIMEOUT_SIGNAL_MS = 400;

export function describeProviderConformance<Config>(options: ProviderConformanceOptions<Config>): void {
  const { definition } = options;
  /** The sample request for one recipient, with the extras the provider needs. */
  const sample = (address: string | null) => {
    const request = sampleSendRequest({ address });
    const content = { ...request.content, ...options.content, ...(options.extras ? { extras: options.extras } : {}) };
    return { ...request, content };
  };

  describe(`${definition.type} provider conformance`, () => {
    let server: ConformanceServer;
    let environment: TestProviderEnvironment;

    before(async () => {
      server = await options.startServer();
      environment = createTestProviderEnvironment();
    });
    after(async () => {
      await environment.close();
      await server.close();
    });
    beforeEach(() => server.setMode('normal'));

    /** Sends the sample request with a fresh sender, which is always closed afterwards. */
    async function sendWith(config: Config, context = environment.context(options.context), senderEnvironment = testSenderEnvironment()): Promise<SendOutcome> {
      const sender: ProviderSender = definition.createSender({ id: 'acc_conformance', name: 'conformance', config }, senderEnvironment);
      try {
        return await sender.send(sample(options.address ?? null), context);
      } finally {
        await sender.close?.();
      }
    }

    test('declares a coherent definition', () => {
      assert.match(definition.type, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (definition.target === 'address') assert.ok(CHANNEL_CATALOG[definition.channel].addressKind, 'address providers serve a channel with an address kind');
      const properties = Object.keys((definition.configSchema as { properties?: object }).properties ?? {});
      for (const field of definition.secretFields) {
        assert.ok(properties.includes(field), `secret field "${field}" is declared in configSchema`);
      }
      for (const limit of definition.defaultFlowLimits ?? []) {
        assert.ok(Number.isInteger(limit.count) && limit.count > 0);
        assert.ok(limit.perSeconds > 0);
      }
      const sender = definition.createSender({ id: 'acc_shape', name: 'shape', config: options.accountConfig(server.port) }, testSenderEnvironment());
      const declares = (capability: unknown, method: unknown, what: string) =>
        assert.equal(typeof method === 'function', capability !== undefined, `${what}: declared on the definition exactly when the sender implements it`);
      declares(definition.maxRecipientsPerCall, sender.sendBatch, 'maxRecipientsPerCall / sendBatch');
      declares(definition.recallWindowSeconds, sender.recall, 'recallWindowSeconds / recall');
      declares(definition.results, sender.fetchResults, 'results / fetchResults');
      declares(definition.readsQuota || undefined, sender.readQuota, 'readsQuota / readQuota');
      if (definition.maxRecipientsPerCall !== undefined) {
        assert.ok(definition.target === 'address' && Number.isInteger(definition.maxRecipientsPerCall) && definition.maxRecipientsPerCall > 1);
      }
    });

    if (definition.maxRecipientsPerCall !== undefined) {
      test('a batch of recipients answers one outcome per recipient, in order, in one call', async () => {
        const addresses = options.batchAddresses ?? [];
        assert.ok(addresses.length >= 2, 'batchAddresses names at least two recipients the server accepts');
        const sender = definition.createSender({ id: 'acc_batch', name: 'batch', config: options.accountConfig(server.port) }, testSenderEnvironment());
        try {
          const requests = addresses.map((address, index) => ({ ...sample(address), deliveryId: `dlv_batch_${index}`, dedupKey: `dlv_batch_${index}` }));
          const requestsBefore = server.requestCount;
          const outcomes = await sender.sendBatch!(requests, environment.context(options.context));
          assert.equal(outcomes.length, requests.length);
          for (const outcome of outcomes) assertOutcomeKind(outcome, 'sent');
          assert.ok(server.requestCount > requestsBefore, 'the batch reached the server');
        } finally {
          await sender.close?.();
        }
      });
    }

    test('accepts a valid config and rejects invalid ones', () => {
      const validConfig = options.accountConfig(server.port);
      assert.ok(
        Value.Check(definition.configSchema, validConfig),
        `valid config rejected: ${JSON.stringify([...Value.Errors(definition.configSchema, validConfig)])}`,
      );
      definition.validateConfig?.(validConfig);

      const invalidConfigs = [
        { name: 'empty config', config: {} },
        { name: 'unknown field', config: { ...validConfig, unknownField: 'x' } },
        ...definition.secretFields.map((field) => ({ name: `non-string ${field}`, config: { ...validConfig, [field]: 42 } })),
        ...(options.invalidConfigs ?? []),
      ];
      for (const { name, config } of invalidConfigs) {
        assert.equal(Value.Check(definition.configSchema, config), false, `schema rejects: ${name}`);
        assert.ok([...Value.Errors(definition.configSchema, config)].length > 0, `errors explain: ${name}`);
      }
    });

    test('a successful send returns sent', async () => {
      const requestsBefore = server.requestCount;
      const outcome = await sendWith(options.accountConfig(server.port));
      assertOutcomeKind(outcome, 'sent');
      assert.ok(server.requestCount > requestsBefore, 'the request reached the server');
    });

    test('a transient server error returns retry', async () => {
      server.setMode('transient-error');
      assertOutcomeKind(await sendWith(options.accountConfig(server.port)), 'retry');
    });

    test('connection refused returns retry CONNECTION_REFUSED', async () => {
      const outcome = await sendWith(options.accountConfig(await findClosedPort()));
      assertOutcomeKind(outcome, 'retry');
      assert.equal(outcome.code, 'CONNECTION_REFUSED');
    });

    test('a server that never answers returns retry TIMEOUT once the send signal times out', async () => {
      server.setMode('hang');
      const outcome = await sendWith(
        options.accountConfig(server.port),
        environment.context({ ...options.context, signal: AbortSignal.timeout(TIMEOUT_SIGNAL_MS) }),
      );
      assertOutcomeKind(outcome, 'retry');
      assert.equal(outcome.code, 'TIMEOUT');
    });

    test('refuses a loopback target when the policy forbids loopback', async () => {
      const strictEnvironment = createTestProviderEnvironment({ allowLoopback: false });
      try {
        const requestsBefore = server.requestCount;
        const outcome = await sendWith(options.accountConfig(server.port), strictEnvironment.context(options.context), testSenderEnvironment(false));
        assertOutcomeKind(outcome, 'failed');
        assert.equal(outcome.code, 'OUTBOUND_ADDRESS_BLOCKED');
        assert.equal(server.requestCount, requestsBefore, 'nothing reached the server');
      } finally {
        await strictEnvironment.close();
      }
    });

    test('a sender can be closed, twice, after sending', async () => {
      const sender = definition.createSender({ id: 'acc_close', name: 'close', config: options.accountConfig(server.port) }, testSenderEnvironment());
      assertOutcomeKind(await sender.send(sample(options.address ?? null), environment.context(options.context)), 'sent');
      await sender.close?.();
      await sender.close?.();
    });
  });
}
