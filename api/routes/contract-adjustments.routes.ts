// HTTP routes that correct a running schedule: milestone dates, one call waived or moved, the customer's phone.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { CONTRACT_ROLES } from '../../domain/authority';
import { idempotencyHeaders } from '../../schemas/complaint.schema';
import {
  callbackAdjusted,
  callbackParams,
  contractParams,
  contractPhase,
  correctionBody,
  customerPhoneBody,
  customerPhoneUpdated,
  rescheduleBody,
  waiveBody,
} from '../../schemas/contract.schema';
import type { StaffUser } from '../auth';
import { mountRoute } from '../route';
import type { createContractAdjustmentService } from '../services/contract-adjustments.service';

type Service = ReturnType<typeof createContractAdjustmentService>;
type Authenticate = (header: string | undefined) => Promise<StaffUser>;

export function contractAdjustmentRoutes(router: Router, registry: OpenAPIRegistry, authenticate: Authenticate, service: Service): void {
  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/contracts/{contractNo}/milestone-corrections',
    summary: 'Correct a recorded work-start or completion date (supervisor); calls still to come are re-planned',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.correct,
    rules: [
      'Only a recorded milestone is corrected (409 MILESTONE_NOT_RECORDED); the same date again changes nothing (202).',
      'at must not be in the future (422 MILESTONE_IN_FUTURE) nor before signing; work start stays at or before completion (409 MILESTONE_OUT_OF_ORDER: correct the other date first).',
      'The reason is kept in the case file (MongoDB), never in the workflow.',
      'Open calls nobody has tried move to their new date if it is still to come; calls the new dates no longer plan are withdrawn; calls already made stay.',
    ],
    params: contractParams,
    headers: idempotencyHeaders,
    body: correctionBody,
    responses: { 202: { description: 'Corrected; the calls follow', schema: contractPhase } },
    errors: [
      'NOT_FOUND',
      'ROLE_NOT_ALLOWED',
      'CONTRACT_CANCELLED',
      'CONTRACT_CLOSED',
      'CASE_FINISHED',
      'MILESTONE_NOT_RECORDED',
      'MILESTONE_OUT_OF_ORDER',
      'MILESTONE_IN_FUTURE',
    ],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, body, user, headers }) => ({
      status: 202,
      body: await service.correct(params.contractNo, body, user, headers['idempotency-key']),
    }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/callbacks/{id}/waive',
    summary: 'Waive one call at the customer’s request: settled, never overdue',
    tags: ['callbacks'],
    roles: CONTRACT_ROLES.adjust,
    rules: [
      'Any open call, or one still to come (its id is in the contract’s upcoming list); a closed call answers 409 OUTCOME_ALREADY_RECORDED, a waived one again 200.',
    ],
    params: callbackParams,
    headers: idempotencyHeaders,
    body: waiveBody,
    responses: { 200: { description: 'The call, waived', schema: callbackAdjusted } },
    errors: ['NOT_FOUND', 'ROLE_NOT_ALLOWED', 'CALLBACK_NOT_FOUND', 'OUTCOME_ALREADY_RECORDED', 'CONTRACT_CANCELLED', 'CONTRACT_CLOSED', 'CASE_FINISHED'],
    visible: ({ id }, user) => service.contractOfCallback(id, user),
    handler: async ({ params, body, user, headers }) => ({
      status: 200,
      body: await service.adjust(params.id, 'waive', body, user, headers['idempotency-key']),
    }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'post',
    path: '/callbacks/{id}/reschedule',
    summary: 'Move one call to the time the customer asked for (the next working day if that is a weekend or holiday)',
    tags: ['callbacks'],
    roles: CONTRACT_ROLES.adjust,
    rules: [
      'dueAt must be still to come (422 CALLBACK_DATE_IN_PAST); the call keeps the customer’s date through later re-plans.',
      'A moved open call is due again from its new date, its reminder and overdue clocks start over.',
    ],
    params: callbackParams,
    headers: idempotencyHeaders,
    body: rescheduleBody,
    responses: { 200: { description: 'The call with its new due date', schema: callbackAdjusted } },
    errors: [
      'NOT_FOUND',
      'ROLE_NOT_ALLOWED',
      'CALLBACK_NOT_FOUND',
      'OUTCOME_ALREADY_RECORDED',
      'CALLBACK_DATE_IN_PAST',
      'CONTRACT_CANCELLED',
      'CONTRACT_CLOSED',
      'CASE_FINISHED',
    ],
    visible: ({ id }, user) => service.contractOfCallback(id, user),
    handler: async ({ params, body, user, headers }) => ({
      status: 200,
      body: await service.adjust(params.id, 'reschedule', body, user, headers['idempotency-key']),
    }),
  });

  mountRoute(router, registry, authenticate, {
    method: 'put',
    path: '/contracts/{contractNo}/customer-phone',
    summary: 'Update the customer’s phone (personal data: stored in MongoDB only)',
    tags: ['contracts'],
    roles: CONTRACT_ROLES.customer,
    rules: ['The same number again answers changed false; the customer lookup by phone finds the new number at once, the old one no longer.'],
    params: contractParams,
    body: customerPhoneBody,
    responses: { 200: { description: 'Stored', schema: customerPhoneUpdated } },
    errors: ['NOT_FOUND', 'ROLE_NOT_ALLOWED'],
    visible: ({ contractNo }, user) => service.findContract(contractNo, user),
    handler: async ({ params, body, user }) => ({ status: 200, body: await service.updatePhone(params.contractNo, body, user) }),
  });
}
