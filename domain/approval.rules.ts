// Approvals as steps of a case: when the approvers are reminded and the request escalated, what an undecided request holds.
import { DEFAULT_AUTHORITY, type ApprovalDecision } from './authority';
import { durationMs } from './duration';
import type { AuthorityPolicy, IsoDuration } from './policy';
import { expandRoles, type Role } from './roles';

/** Policy `approvals`: how long the approvers have before a reminder, and before the request escalates, and to whom. */
export interface ApprovalPolicy {
  remindAfter: IsoDuration;
  escalateAfter: IsoDuration;
  escalateTo: Record<ApprovalDecision, Role[]>;
}

/** A decision asked of the matrix and not yet decided; requests made before the timers (no remindAt) hold nothing. */
export interface PendingApproval {
  decision: ApprovalDecision;
  by: string;
  at: string;
  /** The roles that still have to sign (a group that signed leaves). */
  roles?: Role[];
  remindAt?: string;
  escalateAt?: string;
  reminded?: boolean;
  escalated?: boolean;
}

/** The instants of a new request's reminder and escalation. */
export function approvalTimes(requestedAt: number, policy: ApprovalPolicy): { remindAt: number; escalateAt: number } {
  return { remindAt: requestedAt + durationMs(policy.remindAfter), escalateAt: requestedAt + durationMs(policy.escalateAfter) };
}

/** The next instant a request's clock fires: its reminder, then its escalation; none once escalated. */
export function nextApprovalTime(r: PendingApproval): { at: number; what: 'remind' | 'escalate' } | undefined {
  if (!r.remindAt || !r.escalateAt || r.escalated) return undefined;
  const remindAt = Date.parse(r.remindAt);
  const escalateAt = Date.parse(r.escalateAt);
  if (!r.reminded && remindAt < escalateAt) return { at: remindAt, what: 'remind' };
  return { at: escalateAt, what: 'escalate' };
}

/** The roles of the groups that have not signed yet: who the request still waits for. */
export function unsignedRoles(
  decision: ApprovalDecision,
  approvals: readonly { decision: ApprovalDecision; approved: boolean; role: Role }[],
  authority: AuthorityPolicy = DEFAULT_AUTHORITY,
): Role[] {
  const signed = (group: readonly Role[]) =>
    approvals.some((a) => a.decision === decision && a.approved && expandRoles([a.role]).some((r) => group.includes(r)));
  return [...new Set(authority.approvers[decision].filter((g) => !signed(g)).flat())];
}

/** Actions an undecided (timed) request holds: the case is not closed and no remedy but a repair is recorded before the decision. */
export function heldByPending(action: 'close' | 'compensation', pending: readonly PendingApproval[] | undefined, remedy?: string): PendingApproval | undefined {
  if (action === 'compensation' && remedy === 'repair') return undefined;
  return (pending ?? []).find((r) => r.remindAt !== undefined);
}

/** An approved arbitration or lawsuit hands the case to legal (DOMAIN section 3, issue 13). */
export const HANDS_TO_LEGAL: readonly ApprovalDecision[] = ['arbitration_lawsuit'];
