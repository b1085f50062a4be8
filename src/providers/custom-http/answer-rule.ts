import {
  describeHttpResponse,
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { SendOutcome } from '../provider.ts';

/**
 * How a custom-http account reads the endpoint's answer: a status range that means success,
 * optionally a JSON field that must equal a value (company APIs often answer HTTP 200 with
 * `{"code":40013}`), and where the message id is.
 */

export interface AnswerRule {
  statusMin: number;
  statusMax: number;
  /** Dotted path into the JSON answer (`data.code`; a numeric segment indexes an array). */
  jsonField?: string;
  equals?: string | number | boolean;
  messageIdField?: string;
}

/** A non-empty dotted path; segments are taken literally (no brackets, no wildcards). */
export const DOTTED_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/** The value at `path` in `root`, own properties only; undefined when any step is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current = root;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const EXCERPT_CHARS = 100;
const describeValue = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value).slice(0, EXCERPT_CHARS));

/**
 * In range: sent, unless the JSON field differs (failed CUSTOM_HTTP_REJECTED, never retried:
 * the endpoint read the request and said no) or the answer is not JSON at all (retry
 * INVALID_RESPONSE, as for every provider: a proxy's HTML page). Out of range: 429 rate
 * limited, 408/5xx retry (both honouring Retry-After), anything else failed HTTP_<status>.
 */
export function outcomeFromAnswer(response: HttpResponseSummary, rule: AnswerRule, nowMs: number): SendOutcome {
  const { statusCode } = response;
  if (statusCode < rule.statusMin || statusCode > rule.statusMax) {
    // A 2xx the account does not count as success (statusMax 200 and a 202) is a refusal like a 4xx.
    if (isSuccessStatus(statusCode)) {
      return { kind: 'failed', code: `HTTP_${statusCode}`, message: `${describeHttpResponse(response)} (success is ${rule.statusMin}–${rule.statusMax})` };
    }
    return outcomeFromHttpStatus(response, nowMs);
  }
  if (rule.jsonField === undefined && rule.messageIdField === undefined) return { kind: 'sent' };

  const answer = parseJsonObject(response.body);
  if (answer === undefined) {
    // Only a rule that needs the JSON makes a non-JSON answer a problem.
    return rule.jsonField === undefined ? { kind: 'sent' } : unreadableResponseOutcome(response);
  }
  if (rule.jsonField !== undefined) {
    const seen = valueAtPath(answer, rule.jsonField);
    if (seen !== rule.equals) {
      return {
        kind: 'failed',
        code: 'CUSTOM_HTTP_REJECTED',
        message: `${rule.jsonField} is ${describeValue(seen)}, expected ${JSON.stringify(rule.equals)}: ${describeHttpResponse(response)}`,
      };
    }
  }
  const id = rule.messageIdField === undefined ? undefined : valueAtPath(answer, rule.messageIdField);
  return { kind: 'sent', providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined };
}
