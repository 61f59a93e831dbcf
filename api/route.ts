// One declaration per endpoint: its zod contract validates the request, types the handler and feeds the OpenAPI document.
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import type { Role } from '../domain/roles';
import { requireRole, type StaffUser } from './auth';
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorDetail } from './errors';

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The declared headers, validated (e.g. idempotency-key). */
  headers: Record<string, string | undefined>;
  user: StaffUser;
  req: Request;
  res: Response;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  /** Rules the server enforces that the schema cannot express (cross-field, time-relative); shown in the operation's description. */
  rules?: string[];
  tags: string[];
  /** Roles that may call; each action's own matrix may narrow further inside the handler. */
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  headers?: ZodType;
  responses: Record<number, { description: string; schema?: ZodType }>;
  errors?: ErrorCode[];
  /** Refuses (404) a resource outside the caller's branches before the body is read, so nothing reveals it exists. */
  visible?: (params: z.infer<P>, user: StaffUser) => Promise<unknown>;
  handler: (ctx: HandlerContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<HandlerResult>;
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string().optional(), rule: z.string(), message: z.string() })),
    }),
  })
  .meta({ id: 'Error' });

export function validationDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  const field = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.');
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: field([...i.path, k]), rule: 'unknown_field', message: `is not a known ${prefix || 'body'} field` }))
      : [{ field: field(i.path), rule: (i.code === 'custom' && (i.params?.rule as string | undefined)) || i.code, message: i.message }],
  );
}

/** Refinements (cross-field and time-relative rules) only: the input has the documented shape but a business rule refuses it. */
const onlyRules = (error: z.ZodError) => error.issues.every((i) => i.code === 'custom');

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const details = validationDetails(result.error, where === 'body' || where === 'header' ? '' : where);
    const message = details.map((d) => `${d.field || where} ${d.message}`).join('; ');
    if (onlyRules(result.error)) throw new AppError('RULE_VIOLATED', `${where} breaks a rule: ${message}`, details);
    throw new AppError('VALIDATION_FAILED', `invalid ${where}: ${message}`, details);
  }
  return result.data;
}

/** A route without declared query parameters takes none: an unknown one is refused, not ignored. */
function refuseQuery(query: Record<string, unknown>): void {
  const keys = Object.keys(query);
  if (!keys.length) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `invalid query: unknown parameter ${keys.join(', ')}`,
    keys.map((k) => ({ field: `query.${k}`, rule: 'unknown_field', message: 'is not a known query parameter' })),
  );
}

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: 'Invalid request: a field has the wrong type or format, or an unknown field or query parameter was sent (each field and rule in details)',
  401: 'Missing or invalid bearer token (checked before the body is read)',
  403: 'The caller’s roles may not do this (FORBIDDEN, ROLE_NOT_ALLOWED), the case is held above the caller (NOT_CASE_OWNER), the authority matrix must approve first (APPROVAL_REQUIRED), or a branch-scoped token names no branch (BRANCH_CLAIM_REQUIRED) or another branch (OUTSIDE_BRANCH)',
  404: 'Not found',
  409: 'The action does not fit the case’s state, or its Idempotency-Key is reused with another body or still in progress',
  413: 'The request body is too large',
  415: 'The body is not application/json',
  422: 'The request has the documented shape but breaks a business rule (code and details name the field and rule)',
  429: 'The case is busy with other requests (Temporal refused more in-flight updates); retry after Retry-After seconds',
  500: 'Unexpected server error',
  503: 'A backing service (Temporal, the database) is briefly unavailable; retry after Retry-After seconds',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const } } };

/** Every operation documents the failures any request can meet, so the contract lists each status the server sends. */
function commonStatuses<P extends ZodType, Q extends ZodType, B extends ZodType>(spec: RouteSpec<P, Q, B>, errors: ErrorCode[]): Set<number> {
  const statuses = new Set([400, 401, 403, 429, 500, 503, ...errors.map((c) => ERROR_STATUS[c])]);
  if (spec.params) statuses.add(404);
  if (spec.body) for (const s of [413, 415, 422]) statuses.add(s);
  if (spec.query) statuses.add(422);
  return statuses;
}

const BODY_RULES =
  'Text fields must not be blank or only whitespace (422 RULE_VIOLATED, rule not_blank); date-times must lie in the years 2000-2099 ' +
  '(422, rule year_2000_2099); unknown fields answer 400.';
const QUERY_RULES = 'Unknown query parameters (also bracket syntax such as status[$regex]) and repeated parameters answer 400.';

const IDEMPOTENCY_NOTE =
  'A repeat with the same Idempotency-Key (scoped to the caller) and the same body answers the first result without running again; ' +
  'the same key with another body answers 409 IDEMPOTENCY_KEY_REUSED; while the first request runs, a repeat waits a few seconds, ' +
  'then answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After.';

export function mountRoute<P extends ZodType, Q extends ZodType, B extends ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  authenticate: (header: string | undefined) => Promise<StaffUser>,
  spec: RouteSpec<P, Q, B>,
): void {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: r.schema } } } : { description: r.description };
  }
  const idempotent = Boolean(spec.headers);
  const errors = [
    ...new Set<ErrorCode>([
      'FORBIDDEN',
      'BRANCH_CLAIM_REQUIRED',
      ...(spec.errors ?? []),
      ...(idempotent ? (['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] as const) : []),
    ]),
  ];
  if (spec.body || spec.query) errors.push('RULE_VIOLATED');
  for (const status of commonStatuses(spec, errors)) {
    const retry = status === 429 || status === 503 || (status === 409 && errors.includes('IDEMPOTENCY_IN_PROGRESS'));
    responses[status] ??= {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      ...(retry ? { headers: RETRY_AFTER } : {}),
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  const rules = [...(spec.rules ?? []), ...(spec.body ? [BODY_RULES] : []), ...(spec.query ? [QUERY_RULES] : [])];
  const description = [...rules.map((r) => `- ${r}`), ...(idempotent ? [IDEMPOTENCY_NOTE] : [])].join('\n');
  registry.registerPath({
    method: spec.method,
    path: `/v1${spec.path}`,
    summary: spec.summary,
    ...(description ? { description } : {}),
    tags: spec.tags,
    security: [{ bearerAuth: [] }],
    request: {
      params: spec.params as never,
      query: spec.query as never,
      headers: spec.headers as never,
      body: spec.body ? { content: { 'application/json': { schema: spec.body } }, required: true } : undefined,
    },
    responses,
    // The stable codes this route answers with; test/unit/error-registry.test.ts checks each one's status is documented.
    'x-error-codes': errors,
  });

  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  router[spec.method](expressPath, async (req, res) => {
    // The /v1 gate in api/app.ts has checked the token before the body was read.
    const user = (res.locals.user as StaffUser | undefined) ?? (await authenticate(req.headers.authorization));
    requireRole(user, spec.roles, `${spec.method.toUpperCase()} ${spec.path}`);
    const params = parse(spec.params, req.params, 'path');
    if (spec.visible) await spec.visible(params, user);
    if (!spec.query) refuseQuery(req.query as Record<string, unknown>);
    const query = parse(spec.query, req.query, 'query');
    const headers = (parse(spec.headers, req.headers, 'header') ?? {}) as Record<string, string | undefined>;
    if (spec.body && !req.is('application/json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    const body = parse(spec.body, req.body, 'body');
    const result = await spec.handler({ params, query, body, headers, user, req, res });
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
    res.status(result.status).json(result.body);
  });
}
