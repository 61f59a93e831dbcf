// HTTP contract of complaint cases (names fixed by the Complaint issue); handlers read only parsed input.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Router } from 'express';
import { z, type ZodType } from 'zod';
import { ACTION_ROLES, mayApprove, APPROVERS, type ComplaintAction } from '../../domain/authority';
import {
  approvalBody,
  compensationBody,
  complaintCreated,
  complaintPage,
  complaintParams,
  complaintSummary,
  complaintView,
  createComplaintBody,
  feedbackBody,
  followUpBody,
  idempotencyHeaders,
  listComplaintsQuery,
  noteBody,
  surveyBody,
  triageBody,
} from '../../schemas/complaint.schema';
import * as msg from '../../workflows/complaint.messages';
import type { StaffUser } from '../auth';
import { AppError, type ErrorCode } from '../errors';
import { mountRoute } from '../route';
import type { createComplaintService } from '../services/complaints.service';

type Service = ReturnType<typeof createComplaintService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

const actor = (u: StaffUser): msg.Actor => ({ sub: u.sub, roles: u.roles });
const ACTION_ERRORS: ErrorCode[] = ['NOT_FOUND', 'INVALID_STATE', 'CASE_FINISHED'];

interface ActionSpec<B extends ZodType> {
  action: Exclude<ComplaintAction, 'create' | 'read'>;
  summary: string;
  body: B;
  update: UpdateDefinition<msg.ComplaintState, [never]>;
  toArg: (body: z.infer<B>, user: StaffUser) => unknown;
  errors?: ErrorCode[];
}

function action<B extends ZodType>(spec: ActionSpec<B>): ActionSpec<B> {
  return spec;
}

const ACTIONS = [
  action({ action: 'acknowledge', summary: 'Record the first callback to the customer', body: noteBody, update: msg.acknowledgeUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['ALREADY_DONE'] }),
  action({ action: 'triage', summary: 'Set severity, priority and validity; route the case', body: triageBody, update: msg.triageUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }) }),
  action({ action: 'feedback', summary: 'Record the branch feedback form (cause, action, who is responsible)', body: feedbackBody, update: msg.feedbackUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['ROLE_NOT_ALLOWED'] }),
  action({ action: 'follow-up', summary: 'Record a follow-up call; satisfied ends the ladder', body: followUpBody, update: msg.followUpUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }) }),
  action({ action: 'pause', summary: 'Pause while awaiting the customer (deadlines stop)', body: noteBody, update: msg.pauseUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }) }),
  action({ action: 'resume', summary: 'Resume with the time that was left', body: noteBody, update: msg.resumeUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }) }),
  action({ action: 'escalate', summary: 'Escalate to the next level now', body: noteBody, update: msg.escalateUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }) }),
  action({ action: 'close', summary: 'Close a resolved case (legal closes legal cases)', body: noteBody, update: msg.closeUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['ROLE_NOT_ALLOWED'] }),
  action({ action: 'reopen', summary: 'Reopen a closed case within the policy window', body: noteBody, update: msg.reopenUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['REOPEN_WINDOW_PASSED', 'CLOSED_BY_LEGAL'] }),
  action({ action: 'survey', summary: 'Record the satisfaction survey after closing', body: surveyBody, update: msg.surveyUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['ALREADY_DONE'] }),
  action({ action: 'compensation', summary: 'Record a repair, exchange, refund, compensation or the fixed allowance', body: compensationBody, update: msg.compensationUpdate as never, toArg: (b, u) => ({ actor: actor(u), ...b }), errors: ['REPAIR_OR_COMPENSATE'] }),
  action({
    action: 'approvals',
    summary: 'Approve or refuse a decision of the authority matrix',
    body: approvalBody,
    update: msg.approvalUpdate as never,
    toArg: (b, u) => {
      const role = mayApprove(u.roles, b.decision);
      if (!role) throw new AppError('FORBIDDEN', `${b.decision} is approved by ${APPROVERS[b.decision].join(' and ')}`);
      return { actor: actor(u), role, ...b };
    },
  }),
];

export function complaintRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/complaints',
    summary: 'Open a complaint case',
    tags: ['complaints'],
    roles: ACTION_ROLES.create,
    headers: idempotencyHeaders,
    body: createComplaintBody,
    responses: {
      201: { description: 'Case opened', schema: complaintCreated },
      200: { description: 'Repeat of an Idempotency-Key: the same case', schema: complaintCreated },
    },
    errors: ['REAL_NAME_REQUIRED', 'DETAILS_REQUIRED', 'IDEMPOTENCY_KEY_REUSED'],
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
    handler: async ({ params, user }) => ({ status: 200, body: await service.get(params.id, user) }),
  });

  for (const spec of ACTIONS) {
    mountRoute(router, registry, authenticate, {
      method: 'post',
      path: `/complaints/{id}/${spec.action}`,
      summary: spec.summary,
      tags: ['complaint actions'],
      roles: ACTION_ROLES[spec.action],
      params: complaintParams,
      headers: idempotencyHeaders,
      body: spec.body,
      responses: { 200: { description: 'The case after the action', schema: complaintSummary } },
      errors: [...ACTION_ERRORS, ...(spec.errors ?? [])],
      handler: async ({ params, body, user, headers }) => {
        const key = headers['idempotency-key'];
        const arg = spec.toArg(body as never, user);
        return { status: 200, body: await service.act(params.id, user, spec.update, arg as never, spec.action, key) };
      },
    });
  }
}
