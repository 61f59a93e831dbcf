// Cancelling a contract as an approval step (issue 11 section 2): why a handler asks, the request while it waits, how it reads.
import type { PendingApproval } from './approval.rules';
import type { Role } from './roles';

/** Why a handler asks to cancel; the customer's own words go to MongoDB as the reason text, never into the workflow. */
export const CANCEL_REASONS = ['customer_withdraws', 'financing_failed', 'customer_relocated', 'dispute_unresolved', 'duplicate_contract', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** A cancellation asked and not yet decided: the approval step's clock (approval.rules) plus the reason code and its text's id. */
export interface CancellationRequest extends PendingApproval {
  decision: 'cancel_order';
  reasonCode: CancelReason;
  /** The request's action id: its reason text is kept in MongoDB under it. */
  ref?: string;
}

export type CancellationStatus = 'pending' | 'approved' | 'rejected';

/** A cancellation request as the contract's file and the api show it. */
export interface CancellationView {
  status: CancellationStatus;
  reasonCode: CancelReason;
  requestedBy: string;
  requestedAt: string;
  remindAt?: string;
  escalateAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The matrix role the decision was signed under. */
  role?: Role;
}

export function pendingView(r: CancellationRequest): CancellationView {
  return { status: 'pending', reasonCode: r.reasonCode, requestedBy: r.by, requestedAt: r.at, remindAt: r.remindAt, escalateAt: r.escalateAt };
}

/** A request still undecided when the schedule ends (its warranty ran out) waits on nobody: no item, no pending request. */
export function waitingRequest<T>(phase: string, request: T | null | undefined): T | null | undefined {
  if (request === undefined) return undefined;
  return phase === 'closed' || phase === 'cancelled' ? null : request;
}
