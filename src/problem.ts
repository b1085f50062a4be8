import type { ErrorKind, HeraldError } from './errors.ts';

/** RFC 9457 problem details, with Herald's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  throttled: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The members every problem has; an error's details may add members, never replace these. */
const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance']);

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const body: Problem = {
    type: `https://herald.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
  };
  for (const [name, value] of Object.entries(extensions)) {
    if (!STANDARD_MEMBERS.has(name)) body[name] = value;
  }
  return body;
}

/** A domain error as the problem every edge reports (HTTP answers, broker dead letters and replies). */
export function problemOf(error: HeraldError): Problem {
  return problem(STATUS_BY_KIND[error.kind], error.code, error.message, error.details);
}
