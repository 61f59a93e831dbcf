// HTTP routes of a contract's cancellation as an approval step: the handler's request, the approver's decision.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { CONTRACT_ROLES } from '../../domain/authority';
import { cancellationAnswer, cancellationDecisionBody, cancellationRequestBody } from '../../schemas/cancellation.schema';
import { idempotencyHeaders } from '../../schemas/complaint.schema';
import { contractParams } from '../../schemas/contract.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createContractCancellationService } from '../services/contract-cancellation.service';

type Service = ReturnType<typeof createContractCancellationService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function contractCancellationRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts/{contractNo}/cancellation-requests',
    summary: 'Ask for the contract to be cancelled (cancel_order); the approver is notified, reminded and the request escalates per policy',
    tags: ['contracts'],
    roles: CONTRACT_ROLES['cancel-request'],
    rules: [
      'The contract is cancelled only once the approver of cancel_order (the VP) approves; until then its calls keep coming due.',
      'A request while one waits answers the waiting one (202, repeat true; its reason code and reason stand); after a rejection the contract may be asked for again.',
      'The reason stays in MongoDB (the case file), never in the workflow; only the reason code reaches it.',
      'Reminder after policy approvals.remindAfter, escalation to approvals.escalateTo.cancel_order after approvals.escalateAfter.',
      'A contract already cancelled answers 409 CONTRACT_CANCELLED, a closed one 409 CONTRACT_CLOSED.',
    ],
    params: contractParams,
    headers: idempotencyHeaders,
    body: cancellationRequestBody,
    responses: { 202: { description: 'The request waiting for the approver', schema: cancellationAnswer } },
    errors: ['NOT_FOUND', 'ROLE_NOT_ALLOWED', 'CONTRACT_CANCELLED', 'CONTRACT_CLOSED', 'CASE_FINISHED'],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, body, user, headers }) => ({
      status: 202,
      body: await service.request(params.contractNo, body, user, headers['idempotency-key']),
    }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts/{contractNo}/cancellation-decisions',
    summary: 'Approve or reject the waiting cancellation request (the approver of cancel_order: the VP)',
    tags: ['contracts'],
    roles: CONTRACT_ROLES['cancel-decision'],
    rules: [
      'Only the matrix approver of cancel_order decides (403 ROLE_NOT_ALLOWED for the director, legal, the regional president).',
      'Approved: the contract is cancelled now and every call not yet made is cancelled. Rejected: the request closes and may be made again.',
      'reason is required to reject (422 RULE_VIOLATED, rule required_to_refuse); it stays in MongoDB.',
      'No request waiting answers 409 CANCELLATION_NOT_REQUESTED; a cancelled contract 409 CONTRACT_CANCELLED.',
    ],
    params: contractParams,
    headers: idempotencyHeaders,
    body: cancellationDecisionBody,
    responses: { 200: { description: 'The decided request', schema: cancellationAnswer } },
    errors: ['NOT_FOUND', 'ROLE_NOT_ALLOWED', 'CANCELLATION_NOT_REQUESTED', 'CONTRACT_CANCELLED', 'CONTRACT_CLOSED', 'CASE_FINISHED'],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, body, user, headers }) => ({
      status: 200,
      body: await service.decide(params.contractNo, body, user, headers['idempotency-key']),
    }),
  });
}
