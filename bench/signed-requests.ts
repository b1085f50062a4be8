import { signSigV4Request } from '../src/security/sigv4.ts';

/**
 * Requests as a calling system sends them: JSON, SigV4-signed just before sending. Herald
 * accepts every signature once, so each request's body differs: `metadata.n` counts requests
 * and `metadata.t` carries the send time (epoch ms), which the sink reads back for latency.
 */

export interface BenchCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RequestTemplate {
  method: 'POST';
  path: string;
  /** A JSON object body; `metadata.n` and `metadata.t` are filled in per request. */
  body: Record<string, unknown>;
  credentials: BenchCredentials;
}

export interface BuiltRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNING_REGION = 'cn-north-1';

export function signedHeaders(credentials: BenchCredentials, request: { method: string; path: string; host: string; body: string }): Record<string, string> {
  return signSigV4Request({
    method: request.method,
    url: request.path,
    host: request.host,
    headers: { 'content-type': 'application/json' },
    body: request.body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: SIGNING_REGION,
    nowMs: Date.now(),
  });
}

const COUNTER_MARK = '\u0000bench-n\u0000';
const TIME_MARK = '\u0000bench-t\u0000';

/**
 * Serialises the template once and splices the counter and the time into each copy, so a
 * 1,000-receiver batch body costs a concatenation per request instead of a JSON.stringify.
 */
export function createRequestFactory(template: RequestTemplate, host: string): (sentAtMs: number) => BuiltRequest {
  const metadata = { ...(template.body.metadata as Record<string, string> | undefined), n: COUNTER_MARK, t: TIME_MARK };
  const serialised = JSON.stringify({ ...template.body, metadata });
  const [head, middle, tail] = serialised.split(/\\u0000bench-[nt]\\u0000/);
  if (tail === undefined || serialised.indexOf('bench-n') > serialised.indexOf('bench-t')) throw new Error('request template: could not place the counter');
  let counter = 0;
  return (sentAtMs) => {
    const body = `${head}${++counter}${middle}${sentAtMs}${tail}`;
    return { path: template.path, headers: signedHeaders(template.credentials, { method: template.method, path: template.path, host, body }), body };
  };
}
