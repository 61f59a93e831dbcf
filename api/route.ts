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
  method: 'get' | 'post';
  path: string;
  summary: string;
  tags: string[];
  /** Roles that may call; each action's own matrix may narrow further inside the handler. */
  roles: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  headers?: ZodType;
  responses: Record<number, { description: string; schema?: ZodType }>;
  errors?: ErrorCode[];
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
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    rule: i.code,
    message: i.message,
  }));
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const details = validationDetails(result.error, where === 'body' || where === 'header' ? '' : where);
    throw new AppError('VALIDATION_FAILED', `invalid ${where}: ${details.map((d) => `${d.field || where} ${d.message}`).join('; ')}`, details);
  }
  return result.data;
}

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: 'Invalid request (each field and rule in details)',
  401: 'Missing or invalid bearer token',
  403: 'The caller’s roles may not do this',
  404: 'Not found',
  409: 'The action does not fit the case’s state',
  422: 'The request breaks a business rule',
};

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
  const errors = [...new Set(spec.errors ?? [])];
  const statuses = new Set([400, 401, 403, ...errors.map((c) => ERROR_STATUS[c])]);
  for (const status of statuses) {
    responses[status] ??= { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
  }
  registry.registerPath({
    method: spec.method,
    path: `/v1${spec.path}`,
    summary: spec.summary,
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
    const user = await authenticate(req.headers.authorization);
    requireRole(user, spec.roles, `${spec.method.toUpperCase()} ${spec.path}`);
    const params = parse(spec.params, req.params, 'path');
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
