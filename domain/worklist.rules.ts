// What a worklist item is: who acts on a complaint step, a callback or a task, when it is due and what settles it.
import { localDate, localInstant } from './calendar';
import type { Step } from './complaint.rules';
import type { PendingApproval } from './approval.rules';
import type { Level, Role } from './roles';

/** The kinds of work an item asks for: a complaint step, a scheduled call, a task a case left for staff. */
export const WORK_KINDS = [
  'first_callback',
  'triage',
  'branch_feedback',
  'follow_up',
  'director_decision',
  'close_case',
  'callback',
  'satisfaction_survey',
  'post_repair_callback',
  'approval',
  'customer_answer',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** Where an open item stands; a settled item only says so. */
export interface OpenWork {
  open: true;
  kind: WorkKind;
  /** Roles that act on the item: it shows on the worklist of anyone holding one of them. */
  roles: Role[];
  dueAt: number;
  /** From when the item shows: a step from its start, a call on its due instant (the API shows the whole day ahead). */
  visibleFrom: number;
  /** The request that settles the item. */
  action: string;
}
export type Work = OpenWork | { open: false };

const SETTLED: Work = { open: false };
const uniq = (roles: Role[]) => [...new Set(roles)];

export interface ComplaintStepFacts {
  complaintId: string;
  status: string;
  step: Step;
  level: Level;
  routedTo: Role;
  deadline?: { startedAt: string; dueAt: string } | null;
  resolvedAt?: string | null;
}

/** The one open step of a complaint as a worklist item; paused, legal and closed cases wait on nobody in the center. */
export function complaintWork(c: ComplaintStepFacts): Work {
  const base = `/v1/complaints/${c.complaintId}`;
  if (c.status === 'resolved') {
    const at = c.resolvedAt ? Date.parse(c.resolvedAt) : 0;
    return { open: true, kind: 'close_case', roles: [c.level], dueAt: at, visibleFrom: at, action: `POST ${base}/close` };
  }
  if (c.status !== 'open' || !c.deadline) return SETTLED;
  const dueAt = Date.parse(c.deadline.dueAt);
  const visibleFrom = Date.parse(c.deadline.startedAt);
  const item = (kind: WorkKind, roles: Role[], action: string): Work => ({
    open: true,
    kind,
    roles: uniq(roles),
    dueAt,
    visibleFrom,
    action: `POST ${base}/${action}`,
  });
  switch (c.step) {
    case 'first_callback':
      return item('first_callback', ['assistant', c.level], 'acknowledge');
    case 'triage':
      return item('triage', [c.level], 'triage');
    case 'branch_feedback':
      return item('branch_feedback', [c.routedTo], 'feedback');
    case 'follow_up':
      return item('follow_up', [c.level], 'follow-up');
    case 'director_decision':
      return item('director_decision', ['director'], 'director-decision');
    default:
      // legal_handoff runs on its own clock and hands the case to legal by itself.
      return SETTLED;
  }
}

/** A scheduled call: the assistant's while due, the supervisor's too once overdue or unreachable. */
export function callbackWork(c: { id: string; status: string; dueAt: number }): Work {
  const roles: Role[] | undefined =
    c.status === 'due' ? ['assistant'] : c.status === 'overdue' || c.status === 'escalated' ? ['assistant', 'supervisor'] : undefined;
  if (!roles) return SETTLED;
  return { open: true, kind: 'callback', roles, dueAt: c.dueAt, visibleFrom: c.dueAt, action: `POST /v1/callbacks/${c.id}/outcome` };
}

/** A task a case left (a survey after closing, a post-repair call without a schedule); a recorded survey settles its task. */
export function taskWork(t: { id: string; type: string; complaintId?: string; assigneeRole: Role; dueAt: number; status: string }): Work {
  if (t.status !== 'due') return SETTLED;
  if (t.type === 'satisfaction_survey' && t.complaintId) {
    return {
      open: true,
      kind: 'satisfaction_survey',
      roles: [t.assigneeRole],
      dueAt: t.dueAt,
      visibleFrom: t.dueAt,
      action: `POST /v1/complaints/${t.complaintId}/survey`,
    };
  }
  const kind: WorkKind = 'post_repair_callback';
  return { open: true, kind, roles: [t.assigneeRole], dueAt: t.dueAt, visibleFrom: t.dueAt, action: `POST /v1/tasks/${t.id}/done` };
}

/** The answer promised at intake: the assistant's item (and the owner's) until a follow-up reaches the customer. */
export function answerWork(
  complaintId: string,
  c: { status: string; level: Level; answer?: { startedAt: string; dueAt: string; answeredAt?: string } | null },
): Work {
  const a = c.answer;
  if (!a || a.answeredAt || (c.status !== 'open' && c.status !== 'paused')) return SETTLED;
  const roles = uniq(['assistant', c.level]);
  return {
    open: true,
    kind: 'customer_answer',
    roles,
    dueAt: Date.parse(a.dueAt),
    visibleFrom: Date.parse(a.startedAt),
    action: `POST /v1/complaints/${complaintId}/follow-up`,
  };
}
export const answerItemId = (complaintId: string) => `answer:${complaintId}`;

/** An undecided approval request: its approvers' item, due when it escalates; older requests (no timers) are due at once. */
export function approvalWork(complaintId: string, r: PendingApproval): Work {
  const at = Date.parse(r.at);
  const roles = r.roles?.length ? r.roles : [];
  if (!roles.length) return SETTLED;
  const dueAt = r.escalateAt ? Date.parse(r.escalateAt) : at;
  return { open: true, kind: 'approval', roles: uniq(roles), dueAt, visibleFrom: at, action: `POST /v1/complaints/${complaintId}/approvals` };
}
export const approvalItemId = (complaintId: string, decision: string) => `approval:${complaintId}:${decision}`;

/** A contract's undecided cancellation: the approvers' item, due when it escalates; decided there by the cancellation route. */
export function cancellationWork(contractNo: string, r: PendingApproval | null | undefined): Work {
  if (!r) return SETTLED;
  const at = Date.parse(r.at);
  const roles = r.roles ?? [];
  if (!roles.length) return SETTLED;
  const dueAt = r.escalateAt ? Date.parse(r.escalateAt) : at;
  return { open: true, kind: 'approval', roles: uniq(roles), dueAt, visibleFrom: at, action: `POST /v1/contracts/${contractNo}/cancellation-decisions` };
}
export const cancellationItemId = (contractNo: string) => `approval:contract:${contractNo}:cancel_order`;

/** A letter waiting for legal's approval: due `within` after it was drafted; settled by the decision. */
export function letterWork(complaintId: string, letterId: string, draftedAt: number, withinMs: number, approvers: readonly Role[]): Work {
  const action = `POST /v1/complaints/${complaintId}/letters/${letterId}/decision`;
  return { open: true, kind: 'approval', roles: uniq([...approvers]), dueAt: draftedAt + withinMs, visibleFrom: draftedAt, action };
}
export const letterItemId = (letterId: string) => `letter:${letterId}`;

/** How late an item is at `now`, in whole milliseconds (0 when not yet due). */
export function latenessMs(dueAt: number, now: number): number {
  return Math.max(0, now - dueAt);
}

/** Assignment keys: a whole case (complaint or contract) or one call. */
export const caseKey = (caseType: 'complaint' | 'contract', id: string) => `${caseType}:${id}`;
export const callKey = (callbackId: string) => `callback:${callbackId}`;

/** Of the assignments that apply to an item, the latest decides. */
export function latestAssignment<A extends { assignee: string; at: number }>(assignments: readonly (A | undefined | null)[]): A | undefined {
  return assignments.filter((a): a is A => Boolean(a)).sort((a, b) => b.at - a.at)[0];
}

/** The instant today ends on the wall clock of `timeZone`: calls due before it are today's work. */
export function endOfLocalDay(now: number, timeZone: string): number {
  return localInstant(localDate(now, timeZone), 86_400_000, timeZone);
}

/** Who gives a case or a call to a named assistant. */
export const ASSIGN_ROLES: readonly Role[] = ['supervisor', 'director'];
/** Who marks a task done that no workflow action settles (a post-repair call without a schedule). */
export const TASK_ROLES: readonly Role[] = ['assistant', 'supervisor', 'director'];
