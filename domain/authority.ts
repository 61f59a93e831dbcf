// Who may do what on a case (DOMAIN.md "People and roles", section 2 and the section 3 matrix): one pure rule the api and the workflows share.
import type { ComplaintKind, ComplaintStatus, Remedy } from './complaint.rules';
import type { AuthorityPolicy } from './policy';
import { expandRoles, levelIndex, type Level, type Role } from './roles';

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

/**
 * The company default of the matrix (config/policy.default.json carries the same): per decision, the groups that must
 * each sign, any role of a group signing for it. Cases started before the policy carried a matrix use this.
 */
export const DEFAULT_AUTHORITY: AuthorityPolicy = {
  approvers: {
    refund_deposit_unmeasured: [['regional_president', 'vp']],
    refund_deposit_measured: [['vp']],
    cancel_order: [['vp']],
    claim_crew_pays: [['regional_president']],
    claim_company_pays: [['vp']],
    environmental_dispute: [['legal'], ['director']],
    regulator_media_case: [['vp'], ['legal']],
    arbitration_lawsuit: [['legal']],
  },
  remedyApprovals: {
    refund: ['refund_deposit_unmeasured', 'refund_deposit_measured'],
    compensation: ['claim_crew_pays', 'claim_company_pays'],
  },
};

/** The matrix before regional president and VP were split; only running cases that started before the split use it. */
export const LEGACY_APPROVERS: Record<ApprovalDecision, readonly Role[]> = {
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
  'approval-requests',
  'approvals',
  'external-decision',
  'external-flag',
  'director-decision',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

const CS: readonly Role[] = ['assistant', 'supervisor', 'director'];
const EVERYONE: readonly Role[] = [...CS, 'legal', 'regional_president', 'vp', 'executive', 'branch', 'engineering', 'hr', 'admin'];

export const ACTION_ROLES: Record<ComplaintAction, readonly Role[]> = {
  create: CS,
  read: EVERYONE,
  acknowledge: CS,
  // The supervisor reviews a complaint (DOMAIN section 2); the assistant takes it but does not judge it.
  triage: ['supervisor', 'director'],
  feedback: ['branch', 'engineering', 'hr', ...CS],
  'follow-up': CS,
  pause: [...CS, 'legal'],
  resume: [...CS, 'legal'],
  escalate: CS,
  close: [...CS, 'legal'],
  reopen: CS,
  survey: ['assistant', 'supervisor'],
  compensation: [...CS, 'branch'],
  // Whoever handles a remedy asks the matrix for it; the approvers decide.
  'approval-requests': [...CS, 'branch'],
  approvals: ['director', 'legal', 'regional_president', 'vp', 'executive'],
  // A regulator/media case: the director and the VP each decide within 24 h ([003] ch.5 §11.1).
  'external-decision': ['director', 'vp', 'executive'],
  // The supervisor or director re-flags a running complaint as a regulator/media case.
  'external-flag': ['supervisor', 'director'],
  // The director re-decides a staff or crew complaint; the ladder ends there.
  'director-decision': ['director'],
};

/** Actions that act on the case as its holder: only someone at or above the case's level may take them. */
const OWNER_ACTIONS: readonly ComplaintAction[] = ['escalate', 'close'];

/** The rung of the ladder each role stands on; roles off the ladder hold no level. */
const ROLE_LEVEL: Partial<Record<Role, Level>> = { assistant: 'assistant', supervisor: 'supervisor', director: 'director', legal: 'legal' };

export const AUTHORITY_CODES = ['ROLE_NOT_ALLOWED', 'NOT_CASE_OWNER', 'APPROVAL_REQUIRED'] as const;
export type AuthorityCode = (typeof AUTHORITY_CODES)[number];

export type Verdict = { ok: true; signAs?: Role } | { ok: false; code: AuthorityCode; message: string };

/** What the rule needs of a case: where it stands and what has been approved on it. */
export interface CaseFacts {
  status: ComplaintStatus;
  level: Level;
  approvals?: readonly { decision: ApprovalDecision; approved: boolean; role: Role }[];
}

/** Who pays a claim (DOMAIN section 3): the crew (regional president approves) or nobody else, the company (VP). */
export const PAYERS = ['crew', 'company'] as const;
export type Payer = (typeof PAYERS)[number];
/** The decision of the matrix each payer's claim needs. */
export const PAYER_DECISION: Record<Payer, ApprovalDecision> = { crew: 'claim_crew_pays', company: 'claim_company_pays' };

/** The parts of an action's input the rule looks at. */
export interface ActionInput {
  type?: Remedy;
  amount?: number;
  decision?: ApprovalDecision;
  /** Who pays a compensation above the allowance; absent (requests before the field): either claim decision answers. */
  payer?: Payer;
}

export interface AuthorityContext {
  authority?: AuthorityPolicy;
  /** The fixed allowance (policy complaint.validComplaintAllowance); a compensation above it needs an approval. */
  allowance: number;
}

const refuse = (code: AuthorityCode, message: string): Verdict => ({ ok: false, code, message });

function highestLevel(roles: readonly Role[]): number {
  return Math.max(-1, ...roles.map((r) => (ROLE_LEVEL[r] ? levelIndex(ROLE_LEVEL[r]) : -1)));
}

/** The role the user signs a decision with, or undefined when the matrix names none of theirs. */
export function mayApprove(roles: readonly Role[], decision: ApprovalDecision, authority: AuthorityPolicy = DEFAULT_AUTHORITY): Role | undefined {
  const held = expandRoles(roles);
  for (const group of authority.approvers[decision]) {
    const role = group.find((r) => held.includes(r));
    if (role) return role;
  }
  return undefined;
}

/** A decision is approved once every group of its approvers has an approving signature. */
export function isApproved(decision: ApprovalDecision, approvals: CaseFacts['approvals'], authority: AuthorityPolicy = DEFAULT_AUTHORITY): boolean {
  return authority.approvers[decision].every((group) =>
    (approvals ?? []).some((a) => a.decision === decision && a.approved && expandRoles([a.role]).some((r) => group.includes(r))),
  );
}

export function approversText(decision: ApprovalDecision, authority: AuthorityPolicy = DEFAULT_AUTHORITY): string {
  return authority.approvers[decision].map((g) => g.join(' or ')).join(' and ');
}

/** The decisions one of which must be approved before this remedy is recorded as done; empty when none is needed. */
export function approvalNeeded(input: ActionInput, ctx: AuthorityContext): readonly ApprovalDecision[] {
  const authority = ctx.authority ?? DEFAULT_AUTHORITY;
  if (input.type === 'refund') return authority.remedyApprovals.refund;
  if (input.type === 'compensation' && (input.amount ?? 0) > ctx.allowance) {
    const options = authority.remedyApprovals.compensation;
    if (!input.payer) return options;
    const decision = PAYER_DECISION[input.payer];
    return options.includes(decision) ? [decision] : options;
  }
  return [];
}

/**
 * The one authorization rule: may this user take this action on the case as it stands now? It answers ok (with the
 * role an approval is signed under) or a stable code: ROLE_NOT_ALLOWED (the role never does this), NOT_CASE_OWNER
 * (the case is held above the user's level), APPROVAL_REQUIRED (the matrix must approve first).
 */
export function authorize(user: { roles: readonly Role[] }, action: ComplaintAction, c: CaseFacts, ctx: AuthorityContext, input: ActionInput = {}): Verdict {
  const roles = expandRoles(user.roles);
  const authority = ctx.authority ?? DEFAULT_AUTHORITY;
  if (!roles.some((r) => ACTION_ROLES[action].includes(r))) {
    return refuse('ROLE_NOT_ALLOWED', `${action} needs one of the roles: ${ACTION_ROLES[action].join(', ')}`);
  }
  if (OWNER_ACTIONS.includes(action) && highestLevel(roles) < levelIndex(c.level)) {
    return refuse('NOT_CASE_OWNER', `the case is held by ${c.level}; only ${c.level} or above may ${action} it`);
  }
  if (action === 'approvals' && input.decision) {
    const signAs = mayApprove(roles, input.decision, authority);
    if (!signAs) return refuse('ROLE_NOT_ALLOWED', `${input.decision} is approved by ${approversText(input.decision, authority)}`);
    return { ok: true, signAs };
  }
  if (action === 'compensation') {
    const needed = approvalNeeded(input, ctx);
    if (needed.length && !needed.some((d) => isApproved(d, c.approvals, authority))) {
      return refuse('APPROVAL_REQUIRED', `a ${input.type} is recorded only after one of ${needed.join(', ')} is approved`);
    }
  }
  return { ok: true };
}

/** The complainant's identity goes only to those handling the case (informants of staff/crew complaints even fewer). */
export function maySeeComplainant(kind: ComplaintKind, roles: readonly Role[]): boolean {
  const handlers: readonly Role[] =
    kind === 'staff' ? ['hr', 'director', 'legal'] : kind === 'crew' ? ['engineering', 'director', 'legal'] : [...CS, 'branch', 'legal'];
  return roles.some((r) => handlers.includes(r));
}

export const CONTRACT_ACTIONS = ['register', 'milestone', 'read', 'outcome', 'correct', 'adjust', 'customer', 'cancel-request', 'cancel-decision'] as const;
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

/** Roles per contract action; the assistants, their managers and the branch make and record the calls, the VP cancels. */
export const CONTRACT_ROLES: Record<ContractAction, readonly Role[]> = {
  register: ['assistant', 'supervisor', 'director', 'branch', 'admin'],
  milestone: ['assistant', 'supervisor', 'director', 'branch', 'vp', 'executive'],
  read: EVERYONE,
  outcome: CS,
  // A recorded date is corrected by a manager, not by whoever recorded it.
  correct: ['supervisor', 'director'],
  // Waive or move one call when the customer asks: whoever makes the calls.
  adjust: CS,
  // The customer's phone: the staff who call the customer (personal data, MongoDB only).
  customer: ['assistant', 'supervisor', 'director', 'branch'],
  // The handlers of the contract ask for a cancellation; the matrix's approver of cancel_order decides it.
  'cancel-request': ['assistant', 'supervisor', 'director', 'branch'],
  'cancel-decision': ['director', 'legal', 'regional_president', 'vp', 'executive'],
};

/** The contract side of the rule: cancelling an order is a decision of the matrix (cancel_order), so only its approver records it. */
export function authorizeContract(
  user: { roles: readonly Role[] },
  action: ContractAction,
  input: { type?: string } = {},
  authority: AuthorityPolicy = DEFAULT_AUTHORITY,
): Verdict {
  const roles = expandRoles(user.roles);
  if (!roles.some((r) => CONTRACT_ROLES[action].includes(r))) {
    return refuse('ROLE_NOT_ALLOWED', `${action} needs one of the roles: ${CONTRACT_ROLES[action].join(', ')}`);
  }
  if (action === 'milestone' && input.type === 'cancelled' && !mayApprove(roles, 'cancel_order', authority)) {
    const how = 'ask for it with POST /v1/contracts/{contractNo}/cancellation-requests';
    return refuse('APPROVAL_REQUIRED', `cancelling a contract is decided by ${approversText('cancel_order', authority)}; ${how}`);
  }
  if (action === 'cancel-decision') {
    const signAs = mayApprove(roles, 'cancel_order', authority);
    if (!signAs) return refuse('ROLE_NOT_ALLOWED', `cancel_order is decided by ${approversText('cancel_order', authority)}`);
    return { ok: true, signAs };
  }
  return { ok: true };
}

/** The roles a request for this decision notifies: every role that may sign it. */
export function approverRoles(decision: ApprovalDecision, authority: AuthorityPolicy = DEFAULT_AUTHORITY): Role[] {
  return [...new Set(authority.approvers[decision].flat())];
}

/** Who reads the center's measures and stored summaries. */
export const REPORT_ROLES: readonly Role[] = ['supervisor', 'director', 'regional_president', 'vp', 'executive', 'admin'];
/** Everyone reads their own notifications. */
export const NOTIFICATION_ROLES: readonly Role[] = EVERYONE;
/** Roles that call the customer and so may see who the customer is. */
export const CUSTOMER_VIEWERS: readonly Role[] = ['assistant', 'supervisor', 'director', 'branch'];

/** The roles whose notices a user reads: an alias role reads what was addressed to the old name too. */
export function recipientRoles(roles: readonly Role[]): Role[] {
  const held = expandRoles(roles);
  return held.includes('vp') || held.includes('regional_president') ? [...new Set<Role>([...held, 'executive'])] : held;
}
