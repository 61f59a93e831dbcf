// Approval steps' clock: an undecided request reminds its approvers, then escalates per policy; the case's other timers run beside it.
import { nextApprovalTime } from '../domain/approval.rules';
import type { ApprovalDecision } from '../domain/authority';
import { SYSTEM, type Complaint } from './complaint-case';
import type { Timer } from './complaint-clock';

/** Patch id: a request gets a reminder and an escalation timer and holds closing and remedies; arbitration approved goes to legal. */
export const APPROVAL_STEPS = 'approval-steps';

async function fire(c: Complaint, decision: ApprovalDecision, what: 'remind' | 'escalate'): Promise<void> {
  const r = (c.state.approvalRequests ?? []).find((q) => q.decision === decision);
  if (!r) return;
  const waitingFor = r.roles ?? [];
  if (what === 'remind') {
    r.reminded = true;
    await c.record('approval_reminder', SYSTEM, { decision, requestedBy: r.by, escalateAt: r.escalateAt }, waitingFor);
    return;
  }
  r.escalated = true;
  const escalateTo = c.input.policy.approvals?.escalateTo[decision] ?? [];
  await c.record('approval_escalated', SYSTEM, { decision, requestedBy: r.by, waitingFor, to: escalateTo }, [...escalateTo, ...waitingFor]);
}

/** The earliest reminder or escalation of the case's undecided requests. */
export function approvalTimer(c: Complaint): Timer | undefined {
  let best: { at: number; decision: ApprovalDecision; what: 'remind' | 'escalate' } | undefined;
  for (const r of c.state.approvalRequests ?? []) {
    const next = nextApprovalTime(r);
    if (next && (!best || next.at < best.at)) best = { ...next, decision: r.decision };
  }
  if (!best) return undefined;
  const { decision, what } = best;
  return { at: best.at, fire: () => fire(c, decision, what) };
}

/** The earlier of two timers; requests made before the patch have none, so older cases see their own timer only. */
export function earliest(a: Timer | undefined, b: Timer | undefined): Timer | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.at < a.at ? b : a;
}
