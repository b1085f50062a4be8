/** RFC 9457 problem details as Herald sends them: a stable `code` and a `detail` a person can act on. */
export interface ProblemBody {
  [extension: string]: unknown;
  status: number;
  code: string;
  detail: string;
  title?: string;
  errors?: Array<{ path?: string; message?: string }>;
}

export class ApiProblem extends Error {
  readonly problem: ProblemBody;
  constructor(problem: ProblemBody) {
    super(problem.detail || problem.title || problem.code);
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

export function toProblem(response: Response, body: unknown): ProblemBody {
  if (body && typeof body === 'object' && 'code' in body) {
    const given = body as Partial<ProblemBody>;
    // Extensions (the channel a refusal names, the subscribers not found) stay with the problem.
    return { ...given, status: given.status ?? response.status, code: String(given.code), detail: String(given.detail ?? given.title ?? given.code) };
  }
  return { status: response.status, code: `HTTP_${response.status}`, detail: `${response.status} ${response.statusText}`.trim() };
}

/** The message to show for any failure: a problem's detail, or the error's own message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
