// Staff actions on a contract's callback schedule: milestones, callback outcomes, and the repair a complaint reports.
import type { UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import { authorizeContract } from '../domain/authority';
import { checkMilestone, type CallbackResult } from '../domain/schedule.rules';
import type { UpdateSpec } from './case-runtime';
import { answerByMilestone } from './contract-cancellation';
import { iso, type ContractSchedule } from './contract-schedule';
import * as msg from './contract.messages';
import { reject } from './refusal';

export type RegisterAction = <A, R>(def: UpdateDefinition<R, [A]>, spec: UpdateSpec<A, R>) => void;

export function registerContractActions(k: ContractSchedule, on: RegisterAction): void {
  const s = k.state;
  const m = k.m;
  const cb = k.policy.callbacks;

  const verdictOf = (arg: msg.MilestoneInput) =>
    checkMilestone(
      m,
      arg.type,
      Date.parse(arg.at),
      arg.plannedCompletionAt ? Date.parse(arg.plannedCompletionAt) : undefined,
      k.now(),
      k.run.followsOutOfOrder,
    );

  on(msg.milestoneUpdate, {
    repeat: () => ({ ...s }),
    // A cancellation is the VP's decision (cancel_order); refused before anything is recorded.
    authorize: (arg) => {
      const verdict = authorizeContract(arg.actor, 'milestone', arg, k.policy.authority);
      if (!verdict.ok) reject(verdict.code, verdict.message);
    },
    check: (arg) => {
      const verdict = verdictOf(arg);
      if (verdict === 'repeat') return { ...s };
      if (verdict) reject(verdict.code, verdict.message);
    },
    apply: async (arg) => {
      const at = Date.parse(arg.at);
      const changed: msg.CallbackState[] = [];
      switch (arg.type) {
        case 'work_started':
          m.workStartedAt = at;
          if (m.completedAt !== undefined) await skipFinishedWork();
          break;
        case 'completed':
          m.completedAt = at;
          break;
        case 'pennant_received':
          m.pennants.push(at);
          break;
        case 'completion_date_changed':
          m.plannedCompletionAt = Date.parse(arg.plannedCompletionAt!);
          break;
        case 'cancelled':
          m.cancelledAt = at;
          for (const c of s.open) {
            c.status = 'cancelled';
            changed.push(c);
          }
          break;
      }
      if (arg.type === 'completed' || arg.type === 'completion_date_changed') changed.push(...replanAfterCompletion(k.now()));
      // The approver's own cancelled milestone also answers a request that waits for them.
      const asked = arg.type === 'cancelled' ? answerByMilestone(k, arg.actor.sub) : {};
      const data = { type: arg.type, at: arg.at, plannedCompletionAt: arg.plannedCompletionAt, ...asked };
      await k.record('milestone', arg.actor.sub, data, changed, arg.type === 'cancelled' ? ['assistant'] : []);
      k.settle();
      await k.createDue(k.now());
      await k.updatePhase();
      return { ...s };
    },
  });

  /** A work start recorded after the completion (out of order): no construction call or greeting for work that is over. */
  async function skipFinishedWork(): Promise<void> {
    const created = new Set(s.created);
    const over = k.planned(k.now()).filter((p) => (p.kind === 'construction' || p.kind === 'holiday_greeting') && !created.has(p.id));
    if (!over.length) return;
    s.created.push(...over.map((p) => p.id));
    await k.record('callbacks_skipped', 'system', { count: over.length, kinds: [...new Set(over.map((p) => p.kind))], reason: 'work_completed' });
  }

  /**
   * A recorded or moved completion changes calls already created: construction calls after the real completion are
   * cancelled, and a completion call nobody has made yet moves to the new date.
   */
  function replanAfterCompletion(now: number): msg.CallbackState[] {
    const plan = new Map(k.planned(now).map((p) => [p.id, p]));
    const changed: msg.CallbackState[] = [];
    for (const c of s.open) {
      if ((c.kind === 'construction' || c.kind === 'holiday_greeting') && m.completedAt !== undefined && c.dueAt >= m.completedAt) {
        c.status = 'cancelled';
        changed.push(c);
      } else if (c.kind === 'completion' && c.attempts === 0) {
        const p = plan.get(c.id);
        if (p && p.dueAt !== c.dueAt) {
          c.dueAt = p.dueAt;
          c.activeSince = Math.max(p.dueAt, now);
          c.status = 'due';
          c.reminded = false;
          changed.push(c);
        }
      }
    }
    return changed;
  }

  function view(c: msg.CallbackState, repeat: boolean, complaintId?: string): msg.OutcomeResult {
    return {
      callback: { id: c.id, kind: c.kind, dueAt: iso(c.dueAt), status: c.status, outcome: c.outcome, attempts: c.attempts },
      complaintId: complaintId ?? c.complaintId,
      repeat,
    };
  }

  /** The answer to a repeated outcome: the call as it stands, open or closed. */
  function repeatView(callbackId: string): msg.OutcomeResult | undefined {
    const open = s.open.find((c) => c.id === callbackId);
    if (open) return view(open, true);
    const closed = s.outcomes[callbackId];
    if (!closed) return undefined;
    const outcome = closed.outcome === 'cancelled' || closed.outcome === 'waived' ? undefined : closed.outcome;
    const status = outcome ? 'done' : closed.outcome === 'waived' ? 'waived' : 'cancelled';
    return {
      callback: { id: callbackId, kind: closed.kind, dueAt: iso(closed.dueAt), status, outcome, attempts: closed.attempts },
      complaintId: closed.complaintId,
      repeat: true,
    };
  }

  /** Refuses what cannot apply; undefined for an open call the outcome applies to, the repeat answer for a closed one. */
  function checkOutcome(arg: { callbackId: string; result: CallbackResult }): msg.OutcomeResult | undefined {
    const open = s.open.find((c) => c.id === arg.callbackId);
    if (open) {
      if (arg.result === 'not_reached' && open.status === 'due' && k.now() < open.activeSince)
        reject('CALLBACK_NOT_DUE', `the retry of this call is due at ${iso(open.activeSince)}`);
      return undefined;
    }
    const done = s.outcomes[arg.callbackId];
    if (done === undefined) reject('CALLBACK_NOT_FOUND', `callback ${arg.callbackId} is not part of this schedule`);
    if (done.outcome !== arg.result) reject('OUTCOME_ALREADY_RECORDED', `this callback is already closed as ${done.outcome}`);
    return repeatView(arg.callbackId)!;
  }

  on(msg.outcomeUpdate, {
    repeat: (arg) => repeatView(arg.callbackId),
    check: checkOutcome,
    apply: async (arg) => {
      const c = s.open.find((o) => o.id === arg.callbackId)!;
      const by = arg.actor.sub;
      // The call's notes stay in MongoDB under this action's id; the entry carries the id so the case file joins them.
      const updateId = wf.currentUpdateInfo()?.id;
      const ref = updateId ? { ref: updateId } : {};
      if (arg.result === 'not_reached') {
        c.attempts++;
        if (c.attempts >= cb.notReachedAttempts) {
          const first = c.status !== 'escalated';
          c.status = 'escalated';
          const data = { callbackId: c.id, attempts: c.attempts, unreachable: true, notes: arg.notes, ...ref };
          await k.record('callback_not_reached', by, data, [c], first ? ['supervisor'] : []);
        } else {
          c.activeSince = c.dueAt = k.retryAt(k.now());
          c.status = 'due';
          c.reminded = false;
          await k.record('callback_not_reached', by, { callbackId: c.id, attempts: c.attempts, retryAt: iso(c.dueAt), notes: arg.notes, ...ref }, [c]);
        }
        return view(c, false);
      }
      c.onTime = c.status === 'due';
      c.status = 'done';
      c.outcome = arg.result;
      c.complaintId = arg.complaintId;
      await k.record('callback_outcome', by, { callbackId: c.id, result: arg.result, complaintId: arg.complaintId, notes: arg.notes, ...ref }, [c]);
      const result = view(c, false);
      k.settle();
      return result;
    },
  });
}

/** A warranty repair reported by a complaint books its post-repair call; a repeat or a cancelled contract changes nothing. */
export function repairDone(k: ContractSchedule, { complaintId, completedAt }: { complaintId: string; completedAt: string }): boolean {
  if (k.m.repairs.some((r) => r.complaintId === complaintId) || k.m.cancelledAt !== undefined) return false;
  k.m.repairs.push({ complaintId, completedAt: Date.parse(completedAt) });
  k.fx.changed();
  return true;
}
