// Cancelling a contract as an approval step: a handler asks, the approver is reminded and the request escalates per
// policy, the approver decides; only an approval cancels the calls not yet made. Calls keep coming due meanwhile.
import { approvalTimes, nextApprovalTime } from '../domain/approval.rules';
import { approverRoles, authorizeContract } from '../domain/authority';
import { expandRoles } from '../domain/roles';
import { pendingView, type CancellationRequest, type CancellationView } from '../domain/cancellation.rules';
import type { RegisterAction } from './contract-actions';
import { iso, SYSTEM, type ContractSchedule, type Timer } from './contract-schedule';
import * as msg from './contract.messages';
import { reject } from './refusal';

/** Patch id: a contract's cancellation is requested, timed and decided as an approval step (issue 11 section 2). */
export const CANCEL_APPROVAL = 'cancel-approval';

/** Cancels the contract at `at`: every call not yet made is cancelled, as the cancelled milestone does. */
export function cancelContract(k: ContractSchedule, at: number): msg.CallbackState[] {
  k.m.cancelledAt = at;
  for (const c of k.state.open) c.status = 'cancelled';
  return [...k.state.open];
}

/** A cancelled milestone recorded directly by the approver answers a waiting request: the entry says who asked. */
export function answerByMilestone(k: ContractSchedule, by: string): Record<string, unknown> {
  const r = k.state.cancellation;
  if (!r) return {};
  k.state.cancellation = undefined;
  k.state.cancellationDecided = { ...pendingView(r), status: 'approved', decidedBy: by, decidedAt: iso(k.now()) };
  return { requestedBy: r.by, requestedAt: r.at, reasonCode: r.reasonCode };
}

export function registerContractCancellation(k: ContractSchedule, on: RegisterAction): void {
  const s = k.state;
  const authority = () => k.policy.authority;
  const answer = (cancellation: CancellationView, repeat: boolean): msg.CancellationResult => ({ phase: s.phase, cancellation, repeat });
  const current = () => (s.cancellation ? answer(pendingView(s.cancellation), true) : s.cancellationDecided ? answer(s.cancellationDecided, true) : undefined);

  on(msg.cancellationRequestUpdate, {
    repeat: current,
    authorize: (arg) => {
      const verdict = authorizeContract(arg.actor, 'cancel-request', {}, authority());
      if (!verdict.ok) reject(verdict.code, verdict.message);
    },
    check: () => {
      if (k.m.cancelledAt !== undefined) reject('CONTRACT_CANCELLED', 'the contract is already cancelled');
      // A second request while one waits answers the waiting one: the approver has one decision to make.
      if (s.cancellation) return answer(pendingView(s.cancellation), true);
    },
    apply: async (arg) => {
      const now = k.now();
      const policy = k.input.policy.approvals;
      // Policies from before approval timers have no approvals section: the request then waits without a reminder.
      const timing = policy && k.fx.patched(CANCEL_APPROVAL) ? approvalTimes(now, policy) : undefined;
      const ref = k.fx.actionRef?.();
      const request: CancellationRequest = {
        decision: 'cancel_order',
        by: arg.actor.sub,
        at: iso(now),
        reasonCode: arg.reasonCode,
        roles: approverRoles('cancel_order', authority()),
        ...(timing ? { remindAt: iso(timing.remindAt), escalateAt: iso(timing.escalateAt) } : {}),
        ...(ref ? { ref } : {}),
      };
      s.cancellation = request;
      const data = { reasonCode: arg.reasonCode, remindAt: request.remindAt, escalateAt: request.escalateAt, ...(ref ? { ref } : {}) };
      await k.record('cancellation_requested', arg.actor.sub, data, [], request.roles);
      return answer(pendingView(request), false);
    },
  });

  on(msg.cancellationDecisionUpdate, {
    repeat: current,
    authorize: (arg) => {
      const verdict = authorizeContract(arg.actor, 'cancel-decision', {}, authority());
      if (!verdict.ok) reject(verdict.code, verdict.message);
      if (!expandRoles(arg.actor.roles).includes(arg.role))
        reject('ROLE_NOT_ALLOWED', `the decision is signed under a role the approver holds, not ${arg.role}`);
    },
    check: () => {
      if (k.m.cancelledAt !== undefined) reject('CONTRACT_CANCELLED', 'the contract is already cancelled');
      if (!s.cancellation) reject('CANCELLATION_NOT_REQUESTED', 'no cancellation request waits for a decision');
    },
    apply: async (arg) => {
      const r = s.cancellation!;
      const now = k.now();
      const by = arg.actor.sub;
      const ref = k.fx.actionRef?.();
      s.cancellation = undefined;
      const decided: CancellationView = {
        ...pendingView(r),
        status: arg.approved ? 'approved' : 'rejected',
        decidedBy: by,
        decidedAt: iso(now),
        role: arg.role,
      };
      s.cancellationDecided = decided;
      const asked = { requestedBy: r.by, requestedAt: r.at, reasonCode: r.reasonCode };
      await k.record('cancellation_decided', by, { approved: arg.approved, role: arg.role, ...asked, ...(ref ? { ref } : {}) }, [], ['assistant']);
      if (arg.approved) {
        const changed = cancelContract(k, now);
        await k.record('milestone', by, { type: 'cancelled', at: iso(now), ...asked }, changed, ['assistant']);
        k.settle();
        await k.updatePhase();
      }
      return answer(decided, false);
    },
  });
}

/** The waiting request's reminder or escalation, if it has one still to fire. */
export function cancellationTimer(k: ContractSchedule): Timer | undefined {
  const r = k.state.cancellation;
  const next = r ? nextApprovalTime(r) : undefined;
  if (!r || !next) return undefined;
  return {
    at: next.at,
    fire: async () => {
      const waitingFor = r.roles ?? [];
      if (next.what === 'remind') {
        r.reminded = true;
        await k.record('cancellation_reminder', SYSTEM, { requestedBy: r.by, escalateAt: r.escalateAt }, [], waitingFor);
        return;
      }
      r.escalated = true;
      const to = k.input.policy.approvals?.escalateTo.cancel_order ?? [];
      await k.record('cancellation_escalated', SYSTEM, { requestedBy: r.by, waitingFor, to }, [], [...new Set([...to, ...waitingFor])]);
    },
  };
}

/** The earlier of two timers. */
export function earliest(a: Timer | undefined, b: Timer | undefined): Timer | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.at < a.at ? b : a;
}
