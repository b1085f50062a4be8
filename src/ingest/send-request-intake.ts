import type { ValidateFunction } from 'ajv';
import type { Clock } from '../clock.ts';
import type { AccessKeyService } from '../domain/apps/access-key-service.ts';
import type { AppService } from '../domain/apps/app-service.ts';
import type { MessageIntake } from '../domain/messages/message-intake.ts';
import { BatchSendRequestSchema, SendRequestSchema, type BatchSendRequestBody, type SendRequestBody } from '../domain/messages/send-request-schema.ts';
import { rateLimited, type AppRateLimiter } from '../domain/rate-limits/app-rate-limiter.ts';
import { forbidden, HeraldError, invalid, unauthenticated } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { problem, problemOf } from '../problem.ts';
import { INGEST_HEADERS, verifyIngestSignature } from '../security/ingest-signature.ts';
import { isStorageUnavailable, isTransactionConflict, storageUnavailableError, transactionConflictError } from '../storage/storage-unavailable.ts';
import { createTtlCache } from '../ttl-cache.ts';
import { parseJsonBody } from '../validation/json-text.ts';
import { assertValid, createRequestValidators } from '../validation/request-validators.ts';
import type { IngestOutcome, IngestRequest } from './ingest-adapter.ts';

/** How long an addressed app's name → id lookup is reused (an app renamed is addressed by its new name within this). */
const APP_NAME_CACHE_MS = 5_000;

export type SendRequestIntake = ReturnType<typeof createSendRequestIntake>;

/**
 * Judges a send request that came through a broker exactly as POST /v1/messages judges one that
 * came over HTTP — the same proof of the app (an HMAC with its access key), the same JSON reader,
 * schema, rate limit, intake and idempotency records — and says what the adapter does with it.
 */
export function createSendRequestIntake(deps: {
  keys: AccessKeyService;
  apps: AppService;
  rateLimits: AppRateLimiter;
  intake: MessageIntake;
  clock: Clock;
  logger: Logger;
  jsonMaxDepth: number;
  /** Wait before a request that met an outage is delivered again, when the problem names no Retry-After. */
  retryDelayMs: number;
}) {
  const { body: validators } = createRequestValidators();
  const validateSend = validators.compile(SendRequestSchema) as ValidateFunction<SendRequestBody>;
  const validateBatch = validators.compile(BatchSendRequestSchema) as ValidateFunction<BatchSendRequestBody>;
  const appIdsByName = createTtlCache<string>({ ttlMs: APP_NAME_CACHE_MS, clock: deps.clock });

  /** Throws the refusal; answers the app the request proves to come from. */
  async function authenticate(request: IngestRequest): Promise<string> {
    const accessKeyId = request.header(INGEST_HEADERS.accessKey);
    if (accessKeyId === undefined || accessKeyId === '') {
      throw unauthenticated('AUTH_MISSING', `Name the app's access key in the ${INGEST_HEADERS.accessKey} header and sign the request in ${INGEST_HEADERS.signature} (see docs/brokers.md)`);
    }
    const key = await deps.keys.resolve(accessKeyId);
    verifyIngestSignature(key.secret, { accessKeyId, idempotencyKey: request.header(INGEST_HEADERS.idempotencyKey), replyTo: request.replyTo, payload: request.payload }, request.header(INGEST_HEADERS.signature));
    if (request.addressedApp !== undefined && request.addressedApp !== key.appId) {
      const addressed = await appIdsByName.get(request.addressedApp, async () => (await deps.apps.get(request.addressedApp!)).id).catch(() => undefined);
      if (addressed !== key.appId) throw forbidden('APP_FORBIDDEN', `The request is addressed to app "${request.addressedApp}" but signed with a key of another app; publish to your own app's address`);
    }
    await deps.keys.recordUse(accessKeyId).catch((error) => deps.logger.warn({ err: error }, 'could not record key use'));
    return key.appId;
  }

  function readBody(payload: Uint8Array): SendRequestBody | BatchSendRequestBody {
    if (payload.length === 0) throw invalid('INVALID_JSON', 'The message body is empty; send the send API JSON body');
    let body: unknown;
    try {
      body = parseJsonBody(payload, deps.jsonMaxDepth);
    } catch (error) {
      if (error instanceof SyntaxError) throw invalid('INVALID_JSON', `The body is not valid JSON: ${error.message}`);
      throw error;
    }
    // One address takes both: a body with `receivers` is a batch (POST /v1/messages/batch), any other a send.
    const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'receivers' in body;
    return isBatch ? assertValid(validateBatch, body) : assertValid(validateSend, body);
  }

  async function judge(request: IngestRequest): Promise<IngestOutcome> {
    let appId: string | undefined;
    try {
      appId = await authenticate(request);
    } catch (error) {
      return settleError(error, undefined, false);
    }
    try {
      const body = readBody(request.payload);
      const state = await deps.rateLimits.take(appId, 'send', 'receivers' in body ? body.receivers.length : Math.max(1, body.to?.length ?? 0));
      if (!state.granted) throw rateLimited('send', state);
      // An explicit key (header or body) wins; the broker's message id makes redeliveries of the same message idempotent.
      const explicitKey = request.header(INGEST_HEADERS.idempotencyKey);
      const key = explicitKey ?? (body.idempotencyKey === undefined ? request.brokerMessageId : undefined);
      if (key !== undefined && key.length > 128) throw invalid('VALIDATION_FAILED', `${INGEST_HEADERS.idempotencyKey} must NOT have more than 128 characters`, { field: INGEST_HEADERS.idempotencyKey });
      const message = await deps.intake.accept(appId, body, key);
      return { kind: 'accepted', appId, message };
    } catch (error) {
      return settleError(error, appId, true);
    }
  }

  function settleError(error: unknown, appId: string | undefined, replyAllowed: boolean): IngestOutcome {
    if (!(error instanceof HeraldError) && isStorageUnavailable(error)) error = storageUnavailableError(error);
    if (!(error instanceof HeraldError) && isTransactionConflict(error)) error = transactionConflictError(error);
    if (error instanceof HeraldError) {
      const answer = problemOf(error);
      if (error.kind === 'unavailable' || error.kind === 'throttled') {
        const seconds = typeof error.details.retryAfterSeconds === 'number' ? error.details.retryAfterSeconds : undefined;
        deps.logger.warn({ code: error.code, cause: (error.cause as Error | undefined)?.message }, 'broker request not taken now: it is delivered again later');
        return { kind: 'retry', problem: answer, retryAfterMs: seconds === undefined ? deps.retryDelayMs : Math.min(seconds * 1000, deps.retryDelayMs) };
      }
      deps.logger.info({ code: error.code, appId }, 'broker request refused');
      return { kind: 'refused', appId, problem: answer, replyAllowed };
    }
    // A bug, not the request's fault, but delivering it again would fail again: it waits in the dead letters, with the problem, for a fixed Herald.
    deps.logger.error({ err: error, appId }, 'broker request failed');
    return { kind: 'refused', appId, problem: problem(500, 'INTERNAL_ERROR', 'Herald failed to handle this request; see its logs. The request is kept in the dead letters'), replyAllowed };
  }

  return { judge };
}
