// HTTP routes of renovation contracts and their callbacks; handlers read only parsed input.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { CONTRACT_ROLES } from '../../domain/authority';
import { CALLBACK_ERRORS, MILESTONE_ERRORS } from '../../domain/errors';
import { idempotencyHeaders } from '../../schemas/complaint.schema';
import {
  callbackPage,
  callbackParams,
  createContractBody,
  listCallbacksQuery,
  milestoneBody,
  outcomeBody,
  outcomeRecorded,
  contractCreated,
  contractParams,
  contractPhase,
  contractView,
} from '../../schemas/contract.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createContractService } from '../services/contracts.service';

type Service = ReturnType<typeof createContractService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function contractRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts',
    summary: 'Register a renovation contract and start its callback schedule',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.register,
    rules: [
      'contractSignedAt must lie within the last ten years and not in the future (422 RULE_VIOLATED, rule signed_within_10_years).',
      'plannedCompletionAt must not be before contractSignedAt and at most 10 years after it (422, rules not_before_signing / within_10_years_of_signing).',
      'The contract number is the idempotency key: a repeat with the same body answers 200 with the first answer, another body 409 CONTRACT_CONFLICT; while the first registration runs, a repeat waits a few seconds, then answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After.',
    ],
    body: createContractBody,
    responses: {
      201: { description: 'Contract registered, schedule started', schema: contractCreated },
      200: { description: 'Repeat with the same body: the same contract', schema: contractCreated },
    },
    errors: ['CONTRACT_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS', 'OUTSIDE_BRANCH'],
    handler: async ({ body, user }) => {
      const { created, body: out } = await service.register(body, user);
      return { status: created ? 201 : 200, body: out, headers: { Location: `/v1/contracts/${out.contractNo}` } };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/contracts/{contractNo}',
    summary: 'A contract with its milestones and callbacks',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.read,
    params: contractParams,
    responses: { 200: { description: 'The contract', schema: contractView } },
    errors: ['NOT_FOUND'],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, user }) => ({ status: 200, body: await service.get(params.contractNo, user) }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts/{contractNo}/milestones',
    summary: 'Record a milestone (work started, completed, cancelled, pennant, new completion date)',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.milestone,
    rules: [
      'plannedCompletionAt is required for, and only accepted with, type completion_date_changed (422 RULE_VIOLATED).',
      'A cancellation is decided by the approver of cancel_order in the authority matrix (the VP); anyone else gets 403 APPROVAL_REQUIRED.',
      'at must not be in the future (422 MILESTONE_IN_FUTURE); work starts after signing and completes after a recorded work start (409 MILESTONE_OUT_OF_ORDER).',
      'Out of order is followed where sensible: a completion without a recorded work start is accepted (no construction calls for work that is over); a work start recorded later must not be after the completion.',
      'A recorded date that is wrong is corrected by a supervisor (POST /v1/contracts/{contractNo}/milestone-corrections), not recorded again (409 MILESTONE_CONFLICT).',
    ],
    params: contractParams,
    headers: idempotencyHeaders,
    body: milestoneBody,
    responses: { 202: { description: 'Recorded; the callbacks follow', schema: contractPhase } },
    errors: ['NOT_FOUND', 'CONTRACT_CLOSED', 'CASE_FINISHED', 'APPROVAL_REQUIRED', 'ROLE_NOT_ALLOWED', ...MILESTONE_ERRORS],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, body, user, headers }) => {
      const key = headers['idempotency-key'];
      return { status: 202, body: await service.milestone(params.contractNo, body, user, key) };
    },
  });

  mountRoute(router, registry, authenticate, {
    method: 'get',
    path: '/callbacks',
    summary: 'The callback worklist (filters and cursor pagination, earliest due first)',
    tags: ['callbacks'],
    roles: CONTRACT_ROLES.read,
    rules: ['cursor is opaque: pass nextCursor of the previous page; a well-formed cursor this API did not issue answers 422 (rule opaque_cursor).'],
    query: listCallbacksQuery,
    responses: { 200: { description: 'One page of callbacks', schema: callbackPage } },
    handler: async ({ query, user }) => ({ status: 200, body: await service.listCallbacks(query, user) }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/callbacks/{id}/outcome',
    summary: 'Record a callback outcome; a problem opens a complaint linked to the contract',
    tags: ['callbacks'],
    roles: CONTRACT_ROLES.outcome,
    rules: ['problem is required exactly when result is problem (422 RULE_VIOLATED, rules required_when_problem / only_when_problem).'],
    params: callbackParams,
    headers: idempotencyHeaders,
    body: outcomeBody,
    responses: { 200: { description: 'The callback after the outcome', schema: outcomeRecorded } },
    errors: ['NOT_FOUND', ...CALLBACK_ERRORS, 'IDEMPOTENCY_KEY_REUSED', 'INVALID_INPUT', 'CASE_FINISHED'],
    visible: ({ id }, user) => service.findCallback(id, user),
    handler: async ({ params, body, user, headers }) => {
      const key = headers['idempotency-key'];
      return { status: 200, body: await service.outcome(params.id, body, user, key) };
    },
  });
}
