// Who may do what (DOMAIN.md section 3 and the roles table) and which branch a user sees; pure so api, workflows and tests share it.
import type { ComplaintKind } from './complaint.rules';
import { ROLES, type Role } from './roles';

export const APPROVAL_DECISIONS = [
  'refund_deposit_unmeasured',
  'refund_deposit_measured',
  'cancel_order',
  'claim_crew_pays',
  'claim_company_pays',
  'environmental_dispute',
  'regulator_media_case',
  'arbitration_lawsuit',
] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** Roles that must each sign a decision; "legal with the director" needs both. */
export const APPROVERS: Record<ApprovalDecision, readonly Role[]> = {
  refund_deposit_unmeasured: ['executive'],
  refund_deposit_measured: ['executive'],
  cancel_order: ['executive'],
  claim_crew_pays: ['executive'],
  claim_company_pays: ['executive'],
  environmental_dispute: ['legal', 'director'],
  regulator_media_case: ['executive', 'legal'],
  arbitration_lawsuit: ['legal'],
};

export const COMPLAINT_ACTIONS = [
  'create',
  'read',
  'acknowledge',
  'triage',
  'feedback',
  'follow-up',
  'pause',
  'resume',
  'escalate',
  'close',
  'reopen',
  'survey',
  'compensation',
  'approvals',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

const CS: readonly Role[] = ['assistant', 'supervisor', 'director'];

export const ACTION_ROLES: Record<ComplaintAction, readonly Role[]> = {
  create: CS,
  read: [...CS, 'legal', 'executive', 'branch', 'engineering', 'hr', 'admin'],
  acknowledge: CS,
  triage: CS,
  feedback: ['branch', 'engineering', 'hr', ...CS],
  'follow-up': CS,
  pause: [...CS, 'legal'],
  resume: [...CS, 'legal'],
  escalate: CS,
  close: [...CS, 'legal'],
  reopen: CS,
  survey: ['assistant', 'supervisor'],
  compensation: [...CS, 'branch'],
  approvals: [...new Set(Object.values(APPROVERS).flat())],
};

export function mayPerform(roles: readonly Role[], action: ComplaintAction): boolean {
  return roles.some((r) => ACTION_ROLES[action].includes(r));
}

export function mayApprove(roles: readonly Role[], decision: ApprovalDecision): Role | undefined {
  return APPROVERS[decision].find((r) => roles.includes(r));
}

/** The complainant's identity goes only to those handling the case (informants of staff/crew complaints even fewer). */
export function maySeeComplainant(kind: ComplaintKind, roles: readonly Role[]): boolean {
  const handlers: readonly Role[] =
    kind === 'staff' ? ['hr', 'director', 'legal'] : kind === 'crew' ? ['engineering', 'director', 'legal'] : [...CS, 'branch', 'legal'];
  return roles.some((r) => handlers.includes(r));
}

export const CONTRACT_ACTIONS = ['register', 'milestone', 'read', 'outcome'] as const;
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

/** Roles per contract action; the assistants, their managers and the branch make and record the calls. */
export const CONTRACT_ROLES: Record<ContractAction, readonly Role[]> = {
  register: ['assistant', 'supervisor', 'director', 'branch', 'admin'],
  milestone: ['assistant', 'supervisor', 'director', 'branch'],
  read: ACTION_ROLES.read,
  outcome: CS,
};

/** Who reads the center's measures and stored summaries. */
export const REPORT_ROLES: readonly Role[] = ['supervisor', 'director', 'executive', 'admin'];
/** Everyone reads their own notifications. */
export const NOTIFICATION_ROLES: readonly Role[] = ROLES;
/** Roles that call the customer and so may see who the customer is. */
export const CUSTOMER_VIEWERS: readonly Role[] = ['assistant', 'supervisor', 'director', 'branch'];

/** The one branch a user is limited to, or undefined for all: branch staff work their own branch's cases only. */
export function branchScope(user: { roles: readonly Role[]; branch?: string }): string | undefined {
  const central = user.roles.some((r) => r !== 'branch');
  return !central && user.branch ? user.branch : undefined;
}
