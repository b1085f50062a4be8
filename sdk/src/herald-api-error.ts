/** An RFC 9457 problem as Herald answers it, with its stable `code`. */
export interface HeraldProblem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  /** Present when a request field is at fault, e.g. `receivers[3].to`. */
  field?: string;
  [extension: string]: unknown;
}

/** Herald refused a request (4xx), or kept failing after the retries (5xx): `code` says why, stably. */
export class HeraldApiError extends Error {
  override readonly name = 'HeraldApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly problem: HeraldProblem;
  /** Seconds from the Retry-After header, when Herald sent one (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: HeraldProblem, retryAfterSeconds?: number) {
    super(`${problem.detail} (${problem.code}, HTTP ${problem.status})`);
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The problem in an answer's body, or one made up from the status when the body is not a problem (a proxy's error page). */
  static fromAnswer(status: number, body: unknown, retryAfterSeconds?: number): HeraldApiError {
    const candidate = body as Partial<HeraldProblem> | null;
    if (candidate && typeof candidate === 'object' && typeof candidate.code === 'string') {
      return new HeraldApiError({ ...candidate, status, code: candidate.code, detail: String(candidate.detail ?? candidate.title ?? '') }, retryAfterSeconds);
    }
    const text = typeof body === 'string' ? body.slice(0, 200) : '';
    return new HeraldApiError({ status, code: `HTTP_${status}`, detail: text || `Herald answered HTTP ${status} without a problem body` }, retryAfterSeconds);
  }
}

/** The request never got an answer after every retry (connection refused or reset, timeout). */
export class HeraldNetworkError extends Error {
  override readonly name = 'HeraldNetworkError';
  readonly attempts: number;
  constructor(message: string, attempts: number, cause: unknown) {
    super(message, { cause });
    this.attempts = attempts;
  }
}
