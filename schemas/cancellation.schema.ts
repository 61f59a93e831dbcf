// The contract-cancellation approval step over HTTP: a handler's request, the approver's decision, the request as the file shows it.
import { z } from 'zod';
import { CANCEL_REASONS } from '../domain/cancellation.rules';
import { ROLES } from '../domain/roles';
import { PHASES } from '../domain/schedule.rules';
import { text } from './fields.schema';

const reason = text(2000).describe('The customer’s or the approver’s words: kept in the case file (MongoDB), never in the workflow');

export const cancellationRequestBody = z
  .object({ reasonCode: z.enum(CANCEL_REASONS).describe('Why the contract is to be cancelled'), reason: reason.optional() })
  .strict()
  .meta({ id: 'CancellationRequest', example: { reasonCode: 'financing_failed', reason: 'The bank refused the renovation loan' } });
export type CancellationRequestBody = z.infer<typeof cancellationRequestBody>;

export const cancellationDecisionBody = z
  .object({ approved: z.boolean(), reason: reason.optional().describe('Why; required to reject. Kept in MongoDB, never in the workflow') })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.approved && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to reject', params: { rule: 'required_to_refuse' } });
  })
  .meta({ id: 'CancellationDecision', example: { approved: false, reason: 'Work is half done; the branch settles with the customer first' } });
export type CancellationDecisionBody = z.infer<typeof cancellationDecisionBody>;

export const cancellationView = z
  .object({
    status: z.enum(['pending', 'approved', 'rejected']),
    reasonCode: z.enum(CANCEL_REASONS),
    reason: z.string().optional().describe('The requester’s words'),
    requestedBy: z.string(),
    requestedAt: z.string(),
    remindAt: z.string().optional().describe('When the approver is reminded (policy approvals.remindAfter)'),
    escalateAt: z.string().optional().describe('When the request escalates (policy approvals.escalateAfter, to approvals.escalateTo.cancel_order)'),
    remindedAt: z.string().optional(),
    escalatedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    role: z.enum(ROLES).optional().describe('The matrix role the decision was signed under'),
    decisionReason: z.string().optional().describe('The approver’s words'),
  })
  .meta({ id: 'ContractCancellation' });

export const cancellationAnswer = z
  .object({
    contractNo: z.string(),
    phase: z.enum(PHASES),
    cancellation: cancellationView,
    repeat: z.boolean().describe('True when this answers a request already waiting, or a decision already made'),
  })
  .meta({ id: 'ContractCancellationAnswer' });
