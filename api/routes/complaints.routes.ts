// HTTP contract of complaint cases (names fixed by the Complaint issue); handlers read only parsed input.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { ACTION_ROLES } from '../../domain/authority';
import {
  complaintCreated,
  complaintPage,
  complaintParams,
  complaintView,
  createComplaintBody,
  idempotencyHeaders,
  listComplaintsQuery,
} from '../../schemas/complaint.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createComplaintService } from '../services/complaints.service';
import { complaintActionRoutes } from './complaint-actions.routes';

type Service = ReturnType<typeof createComplaintService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function complaintRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/complaints',
    summary: 'Open a complaint case',
    tags: ['complaints'],
    roles: ACTION_ROLES.create,
    rules: [
      'complainant.name and complainant.phone are required unless complainant.anonymous is true (422 RULE_VIOLATED, rule required_unless_anonymous).',
      'A staff or crew complaint must not be anonymous (422 REAL_NAME_REQUIRED) and needs accused, occurredAt and location (422 DETAILS_REQUIRED).',
      'occurredAt must not be in the future and at most 10 years ago (422 RULE_VIOLATED, rules not_in_future / within_10_years).',
    ],
    headers: idempotencyHeaders,
    body: createComplaintBody,
    responses: {
      201: { description: 'Case opened', schema: complaintCreated },
      200: { description: 'Repeat of an Idempotency-Key: the same case', schema: complaintCreated },
    },
    errors: ['REAL_NAME_REQUIRED', 'DETAILS_REQUIRED', 'IDEMPOTENCY_KEY_REUSED', 'OUTSIDE_BRANCH'],
    handler: async ({ body, user, headers }) => {
      const key = headers['idempotency-key'];
      const { created, body: out } = await service.open(body, user, key);
      return { status: created ? 201 : 200, body: out, headers: { Location: `/v1/complaints/${out.id}` } };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/complaints',
    summary: 'List complaint cases (filters and cursor pagination)',
    tags: ['complaints'],
    roles: ACTION_ROLES.read,
    rules: ['cursor is opaque: pass nextCursor of the previous page; a well-formed cursor this API did not issue answers 422 (rule opaque_cursor).'],
    query: listComplaintsQuery,
    responses: { 200: { description: 'One page of cases, newest first', schema: complaintPage } },
    handler: async ({ query, user }) => ({ status: 200, body: await service.list(query, user) }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/complaints/{id}',
    summary: 'A complaint case with its deadlines and whole history',
    tags: ['complaints'],
    roles: ACTION_ROLES.read,
    params: complaintParams,
    responses: { 200: { description: 'The case file', schema: complaintView } },
    errors: ['NOT_FOUND'],
    visible: ({ id }, user) => service.findVisible(id, user),
    handler: async ({ params, user }) => ({ status: 200, body: await service.get(params.id, user) }),
  });

  complaintActionRoutes(router, registry, authenticate, service);
}
