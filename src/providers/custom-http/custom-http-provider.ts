import { Type, type Static } from 'typebox';
import { invalid } from '../../errors.ts';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { HEADER_NAME, isAlwaysReservedHeader, validateConfiguredHeaders } from '../configured-headers.ts';
import { sendHttpRequest } from '../outbound-http.ts';
import type { ProviderDefinition, SendOutcome, SendRequest } from '../provider.ts';
import { DOTTED_PATH, outcomeFromAnswer, type AnswerRule } from './answer-rule.ts';
import { BODY_TEMPLATE_LIMITS, BodyTemplateError, bodyFormatOf, compileBodyTemplate, type CompiledBodyTemplate } from './body-template.ts';

/**
 * A configurable HTTP call for a company's own IM or any internal system, without code:
 * method, URL, headers, a Liquid body template over the rendered message, and a rule that
 * says which answers mean success. See docs/custom-http-provider.md.
 */

const DEFAULT_CONTENT_TYPE = 'application/json';
const DEFAULT_IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const MAX_PATH_CHARS = 200;

const dottedPath = (description: string) => Type.String({ minLength: 1, maxLength: MAX_PATH_CHARS, description });

export const customHttpConfigSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'http(s) endpoint called once per delivery; its query values read back masked' }),
    method: Type.Optional(
      Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH')], { default: 'POST', description: 'HTTP method; default POST' }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Static request headers, e.g. an Authorization token; values read back masked' }),
    ),
    secrets: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'Named secrets for APIs that take credentials in the body, used in the template as {{ secrets.<name> }}; values read back masked',
      }),
    ),
    contentType: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Default application/json. Also application/*+json, application/x-www-form-urlencoded or text/plain, with parameters (charset). Decides how template outputs are escaped',
      }),
    ),
    bodyTemplate: Type.String({
      minLength: 1,
      maxLength: BODY_TEMPLATE_LIMITS.parseLimitChars,
      description:
        'Liquid template of the request body over title, summary, text, markdown, html, url, extras, messageId, deliveryId, dedupKey, attempt, metadata, appId, sentAt, secrets. ' +
        'Outputs are escaped for the content type (JSON string content, or URL-encoded); {{ value | json }} writes a JSON literal',
    }),
    success: Type.Optional(
      Type.Object(
        {
          statusMin: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'Lowest HTTP status meaning success; default 200' })),
          statusMax: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'Highest HTTP status meaning success; default 299' })),
          jsonField: Type.Optional(dottedPath('Dotted path of a field of the JSON answer that must equal `equals` (e.g. data.code)')),
          equals: Type.Optional(
            Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'The value jsonField must have (compared with its JSON type: 0 is not "0")' }),
          ),
        },
        { additionalProperties: false, description: 'Which answers mean success; otherwise 429 is rate limited, 408/5xx retried, anything else failed' },
      ),
    ),
    messageIdField: Type.Optional(dottedPath("Dotted path of the endpoint's message id in the JSON answer (e.g. data.msgId)")),
    idempotencyKeyHeader: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Literal(false)], {
        description: 'Header carrying the delivery dedup key, stable across retries; default Idempotency-Key, false to send none',
      }),
    ),
  },
  { additionalProperties: false },
);

export type CustomHttpConfig = Static<typeof customHttpConfigSchema>;

function idempotencyHeaderOf(config: CustomHttpConfig): string | undefined {
  return config.idempotencyKeyHeader === false ? undefined : (config.idempotencyKeyHeader ?? DEFAULT_IDEMPOTENCY_KEY_HEADER);
}

function answerRuleOf(config: CustomHttpConfig): AnswerRule {
  const { success = {} } = config;
  return { statusMin: success.statusMin ?? 200, statusMax: success.statusMax ?? 299, jsonField: success.jsonField, equals: success.equals, messageIdField: config.messageIdField };
}

function validateIdempotencyHeader(name: string | undefined, headers: Readonly<Record<string, string>>): void {
  if (name === undefined) return;
  const field = 'idempotencyKeyHeader';
  if (!HEADER_NAME.test(name)) throw invalid('CUSTOM_HTTP_HEADER_INVALID', `${field}: "${name}" is not a valid header name`, { field });
  if (isAlwaysReservedHeader(name.toLowerCase())) {
    throw invalid('CUSTOM_HTTP_HEADER_RESERVED', `${field}: the ${name} header is set by Herald and cannot carry the dedup key`, { field });
  }
  const clash = Object.keys(headers).find((header) => header.toLowerCase() === name.toLowerCase());
  if (clash !== undefined) {
    throw invalid('CUSTOM_HTTP_HEADER_RESERVED', `headers.${clash}: the ${clash} header carries the dedup key (idempotencyKeyHeader); remove one of them`, {
      field: `headers.${clash}`,
    });
  }
}

function validateAnswerRule(config: CustomHttpConfig): void {
  const { statusMin, statusMax } = answerRuleOf(config);
  if (statusMin > statusMax) {
    throw invalid('CUSTOM_HTTP_SUCCESS_RULE_INVALID', `success.statusMin: ${statusMin} is above statusMax ${statusMax}`, { field: 'success.statusMin' });
  }
  const { jsonField, equals } = config.success ?? {};
  if ((jsonField === undefined) !== (equals === undefined)) {
    const field = jsonField === undefined ? 'success.jsonField' : 'success.equals';
    throw invalid('CUSTOM_HTTP_SUCCESS_RULE_INVALID', `${field}: jsonField and equals go together: the field of the answer and the value it must have`, { field });
  }
  for (const [field, path] of [['success.jsonField', jsonField], ['messageIdField', config.messageIdField]] as const) {
    if (path !== undefined && !DOTTED_PATH.test(path)) {
      throw invalid('CUSTOM_HTTP_SUCCESS_RULE_INVALID', `${field}: "${path}" is not a dotted path like data.code`, { field });
    }
  }
}

function compileConfiguredTemplate(config: CustomHttpConfig): CompiledBodyTemplate {
  const contentType = config.contentType ?? DEFAULT_CONTENT_TYPE;
  const format = bodyFormatOf(contentType);
  if (format === undefined || /[\0\r\n]/.test(contentType)) {
    throw invalid(
      'CUSTOM_HTTP_CONTENT_TYPE_UNSUPPORTED',
      `contentType: "${contentType.replace(/[\0\r\n]/g, ' ')}" is not supported; use application/json (or application/*+json), application/x-www-form-urlencoded or text/plain, so template outputs can be escaped for it`,
      { field: 'contentType' },
    );
  }
  try {
    return compileBodyTemplate(config.bodyTemplate, format);
  } catch (error) {
    if (!(error instanceof BodyTemplateError)) throw error;
    throw invalid('CUSTOM_HTTP_TEMPLATE_INVALID', `bodyTemplate: ${error.message}`, { field: 'bodyTemplate', ...error.position });
  }
}

/** What the body template sees: the rendered message, the delivery and the account's named secrets. Optional parts are null, not missing, so strict variables accept them. */
function templateScope(request: SendRequest, config: CustomHttpConfig, nowMs: number): Record<string, unknown> {
  const { content } = request;
  return {
    title: content.title,
    summary: content.summary ?? null,
    text: content.text,
    markdown: content.markdown,
    html: content.html ?? null,
    url: content.url ?? null,
    extras: content.extras ?? {},
    messageId: request.messageId,
    deliveryId: request.deliveryId,
    dedupKey: request.dedupKey,
    attempt: request.attempt,
    metadata: request.metadata,
    appId: request.appId,
    sentAt: new Date(nowMs).toISOString(),
    secrets: config.secrets ?? {},
  };
}

/** JSON.parse's own message can quote the body, which may hold secrets; only the position, when it gives one, is kept. */
function invalidJsonBodyOutcome(error: unknown, length: number): SendOutcome {
  const position = /\(line (\d+) column (\d+)\)/.exec(error instanceof Error ? error.message : '');
  const where = position ? ` at line ${position[1]}, column ${position[2]}` : '';
  return {
    kind: 'failed',
    code: 'CUSTOM_HTTP_BODY_INVALID',
    message: `bodyTemplate rendered a body (${length} characters) that is not valid JSON${where}; quote string outputs ("{{ title }}") or write values with {{ value | json }}`,
  };
}

export const customHttpProvider: ProviderDefinition<CustomHttpConfig> = {
  type: 'custom-http',
  channel: 'webhook',
  target: 'account',
  configSchema: customHttpConfigSchema,
  secretFields: ['url', 'headers', 'secrets'],
  secretMasks: { url: 'query', headers: 'values', secrets: 'values' },

  validateConfig(config) {
    parseOutboundUrl(config.url, 'url');
    const idempotencyHeader = idempotencyHeaderOf(config);
    validateConfiguredHeaders(config.headers ?? {}, { codePrefix: 'CUSTOM_HTTP' });
    validateIdempotencyHeader(idempotencyHeader, config.headers ?? {});
    validateAnswerRule(config);
    compileConfiguredTemplate(config);
  },

  createSender({ config }) {
    const url = new URL(config.url);
    const method = config.method ?? 'POST';
    const contentType = config.contentType ?? DEFAULT_CONTENT_TYPE;
    const idempotencyHeader = idempotencyHeaderOf(config);
    const rule = answerRuleOf(config);
    // Saved accounts passed validateConfig; should one still not compile, each send says so instead of the sender failing to build.
    let template: CompiledBodyTemplate | undefined;
    let templateProblem: string | undefined;
    try {
      template = compileConfiguredTemplate(config);
    } catch (error) {
      templateProblem = (error as Error).message;
    }

    return {
      async send(request, context): Promise<SendOutcome> {
        if (!template) return { kind: 'failed', code: 'CUSTOM_HTTP_TEMPLATE_ERROR', message: templateProblem ?? 'bodyTemplate did not compile' };
        let body: string;
        try {
          body = await template.render(templateScope(request, config, context.clock.now()));
        } catch (error) {
          // The same template and message fail the same way on every attempt.
          return { kind: 'failed', code: 'CUSTOM_HTTP_TEMPLATE_ERROR', message: `bodyTemplate: ${(error as Error).message}` };
        }
        if (bodyFormatOf(contentType) === 'json') {
          try {
            JSON.parse(body);
          } catch (error) {
            return invalidJsonBodyOutcome(error, body.length);
          }
        }
        const headers: Record<string, string> = { ...config.headers, 'content-type': contentType };
        if (idempotencyHeader !== undefined) headers[idempotencyHeader] = request.dedupKey;
        const { response, outcome } = await sendHttpRequest(url, { method, headers, body }, context);
        if (outcome) return outcome;
        return outcomeFromAnswer(response, rule, context.clock.now());
      },
    };
  },
};
