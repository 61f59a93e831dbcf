// Stable error codes and their HTTP statuses in one place; every error leaves as {error: {code, message, details}}.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { CaseErrorCode, DocumentErrorCode } from '../domain/errors';

/** Codes only the HTTP layer raises. */
const API_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MALFORMED_PATH: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BRANCH_CLAIM_REQUIRED: 403,
  OUTSIDE_BRANCH: 403,
  NOT_FOUND: 404,
  CASE_FINISHED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  METHOD_NOT_ALLOWED: 405,
  HEADERS_TOO_LARGE: 431,
  RULE_VIOLATED: 422,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  CONTRACT_CONFLICT: 409,
  CONTRACT_CLOSED: 409,
  REAL_NAME_REQUIRED: 422,
  DETAILS_REQUIRED: 422,
  NOT_READY: 503,
  INTERNAL: 500,
} as const;

/** Every code a workflow refuses with needs a status here, or this does not compile. */
const CASE_ERROR_STATUS: Record<CaseErrorCode, number> = {
  INVALID_STATE: 409,
  ALREADY_DONE: 409,
  REPAIR_OR_COMPENSATE: 409,
  REOPEN_WINDOW_PASSED: 409,
  CLOSED_BY_LEGAL: 409,
  ROLE_NOT_ALLOWED: 403,
  NOT_CASE_OWNER: 403,
  APPROVAL_REQUIRED: 403,
  INVALID_INPUT: 422,
  APPROVAL_PENDING: 409,
  EXTERNAL_CLOCK_NOT_PAUSABLE: 409,
  EXTERNAL_DECISION_PENDING: 409,
  NOT_CONFIRMED_VALID: 409,
  CONTRACT_CANCELLED: 409,
  MILESTONE_OUT_OF_ORDER: 409,
  MILESTONE_CONFLICT: 409,
  MILESTONE_IN_FUTURE: 422,
  MILESTONE_NOT_RECORDED: 409,
  CALLBACK_NOT_FOUND: 404,
  OUTCOME_ALREADY_RECORDED: 409,
  CALLBACK_NOT_DUE: 409,
  CALLBACK_DATE_IN_PAST: 422,
  CANCELLATION_NOT_REQUESTED: 409,
};

/** Every refusal of a case document needs a status here, or this does not compile. */
const DOCUMENT_ERROR_STATUS: Record<DocumentErrorCode, number> = {
  FILE_REVIEW_REQUIRED: 409,
  LETTER_NOT_APPROVED: 409,
  INSPECTION_NOT_SIGNED: 409,
  NOT_SERVICE_COMPLAINT: 409,
};

export type ErrorCode = keyof typeof API_ERROR_STATUS | CaseErrorCode | DocumentErrorCode;
/** The one registry: every stable error code and its HTTP status. */
export const ERROR_STATUS: Record<ErrorCode, number> = { ...API_ERROR_STATUS, ...CASE_ERROR_STATUS, ...DOCUMENT_ERROR_STATUS };

export interface ErrorDetail {
  field?: string;
  rule: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds a client should wait before retrying (sent as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

function isCode(code: string | undefined | null): code is ErrorCode {
  return !!code && code in ERROR_STATUS;
}

/** The error and its causes, outermost first (bounded: causes can be circular). */
function causeChain(err: unknown): { name?: string; message?: string; code?: unknown; details?: unknown }[] {
  const chain: { name?: string; message?: string; code?: unknown }[] = [];
  for (let e = err as { cause?: unknown } | undefined; e && typeof e === 'object' && chain.length < 6; e = e.cause as typeof e) {
    if (chain.includes(e as never)) break;
    chain.push(e as never);
  }
  return chain;
}

// gRPC status codes Temporal answers with when it is overloaded or briefly unreachable.
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const BUSY = /in-flight updates|resource.?exhausted|update was aborted|too many|rate limit/i;
const DOWN = /ECONNREFUSED|ECONNRESET|server selection|not connected|topology was destroyed|UNAVAILABLE/i;
// The case's last workflow task failed or timed out (a worker killed mid-task, an overloaded worker): Temporal retries it.
const RECOVERING = /workflow task in failed state/i;

/** Temporal refusing more work (in-flight update limit, aborted update) or a dependency down: retryable, never a 500. */
function transientError(err: unknown): AppError | undefined {
  for (const e of causeChain(err)) {
    const text = `${e.name ?? ''} ${e.message ?? ''} ${typeof e.details === 'string' ? e.details : ''}`;
    if (e.code === GRPC_RESOURCE_EXHAUSTED || BUSY.test(text)) {
      return new AppError('TOO_MANY_REQUESTS', 'the case is busy with other requests; retry shortly', [], 2);
    }
    if (RECOVERING.test(text)) {
      return new AppError('UNAVAILABLE', 'the case is recovering from an interrupted step; retry shortly', [], 2);
    }
    if (e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED || e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' || DOWN.test(text)) {
      return new AppError('UNAVAILABLE', 'a backing service is briefly unavailable; retry shortly', [], 5);
    }
    if (typeof e.name === 'string' && /^Mongo(Network|ServerSelection|NotConnected)/.test(e.name)) {
      return new AppError('UNAVAILABLE', 'the database is briefly unavailable; retry shortly', [], 5);
    }
  }
  return undefined;
}

/** A loggable summary of an error and its causes (the raw Temporal errors are circular and do not serialize). */
export function describeError(err: unknown): Record<string, unknown>[] {
  return causeChain(err).map((e) => ({
    name: e.name,
    message: e.message,
    code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
    stack: typeof (e as { stack?: unknown }).stack === 'string' ? (e as { stack: string }).stack.split('\n').slice(0, 6).join('\n') : undefined,
  }));
}

/** Turns anything thrown into an AppError; workflow rejections keep their stable code. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isCode(cause.type)) return new AppError(cause.type, cause.message);
  }
  const transient = transientError(err);
  if (transient) return transient;
  if (err instanceof WorkflowNotFoundError) return new AppError('CASE_FINISHED', 'the case has finished and takes no more actions');
  if (err instanceof URIError) return new AppError('MALFORMED_PATH', 'the request path is not valid percent-encoded UTF-8');
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'the request body must be a JSON object');
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported')
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as uncompressed or gzip/deflate UTF-8 JSON');
  // Anything else the HTTP layer rejected as the client's fault (a corrupt gzip body, say) stays a 4xx.
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('BAD_REQUEST', 'the request could not be read');
  return new AppError('INTERNAL', 'internal error');
}

export function errorBody(err: AppError) {
  return { error: { code: err.code, message: err.message, details: err.details } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // biome-ignore lint/correctness/noUnusedFunctionParameters: Express recognises an error handler by its four parameters
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500 || appError.status === 429) {
      logger.error({ error: describeError(err), code: appError.code, reqId: res.locals.requestId as string }, 'request failed');
    }
    if (appError.retryAfter !== undefined) res.setHeader('Retry-After', String(appError.retryAfter));
    res.status(appError.status).json(errorBody(appError));
  };
}
