// Staff corrections of a running schedule: a supervisor's corrected milestone date, a call waived or moved at the customer's request.
import * as wf from '@temporalio/workflow';
import { shiftToWorkingDay } from '../domain/calendar';
import { authorizeContract, type ContractAction } from '../domain/authority';
import { checkCorrection, plannedCallbacks } from '../domain/schedule.rules';
import type { RegisterAction } from './contract-actions';
import { iso, type ContractSchedule } from './contract-schedule';
import * as msg from './contract.messages';
import { reject } from './refusal';

/** Kinds the milestones plan; a call of these kinds the new plan no longer holds is withdrawn. */
const PLANNED_KINDS = new Set(['after_signing', 'construction', 'completion', 'warranty', 'holiday_greeting']);

export function registerContractAdjustments(k: ContractSchedule, on: RegisterAction): void {
  const s = k.state;
  const m = k.m;
  const allow = (action: ContractAction) => (arg: { actor: msg.CorrectionInput['actor'] }) => {
    const verdict = authorizeContract(arg.actor, action, {}, k.policy.authority);
    if (!verdict.ok) reject(verdict.code, verdict.message);
  };
  // The entry points to the reason kept in MongoDB under the action's id (action_texts).
  const ref = () => {
    const id = wf.currentUpdateInfo()?.id;
    return id ? { ref: id } : {};
  };

  on(msg.correctionUpdate, {
    repeat: () => ({ ...s }),
    authorize: allow('correct'),
    check: (arg) => {
      const verdict = checkCorrection(m, arg.milestone, Date.parse(arg.at), k.now());
      if (verdict === 'repeat') return { ...s };
      if (verdict) reject(verdict.code, verdict.message);
    },
    apply: async (arg) => {
      const at = Date.parse(arg.at);
      const from = (arg.milestone === 'work_started' ? m.workStartedAt : m.completedAt)!;
      if (arg.milestone === 'work_started') m.workStartedAt = at;
      else m.completedAt = at;
      const changed = replan(Math.abs(at - from));
      await k.record('milestone_corrected', arg.actor.sub, { milestone: arg.milestone, from: iso(from), to: iso(at), ...ref() }, changed);
      k.settle();
      await k.createDue(k.now());
      await k.updatePhase();
      return { ...s };
    },
  });

  /**
   * After a corrected date, open calls follow the new plan: one the plan no longer holds is withdrawn, one nobody has
   * tried yet whose date moved into the future moves with it; a call already due or tried stays as it is.
   */
  function replan(shift: number): msg.CallbackState[] {
    const now = k.now();
    const horizon = k.horizon(now) + shift;
    const plan = new Map(plannedCallbacks(s.contractNo, m, k.policy, horizon, k.run.plan(s)).map((p) => [p.id, p]));
    const changed: msg.CallbackState[] = [];
    for (const c of s.open) {
      const p = plan.get(c.id);
      if (!p && PLANNED_KINDS.has(c.kind)) {
        c.status = 'cancelled';
        changed.push(c);
      } else if (p && c.attempts === 0 && p.dueAt !== c.dueAt && p.dueAt > now) {
        c.dueAt = c.activeSince = p.dueAt;
        c.status = 'due';
        c.reminded = false;
        changed.push(c);
      }
    }
    return changed;
  }

  const view = (c: Pick<msg.CallbackState, 'id' | 'kind' | 'dueAt' | 'status' | 'attempts'>, repeat: boolean): msg.AdjustResult => ({
    callback: { id: c.id, kind: c.kind, dueAt: iso(c.dueAt), status: c.status, attempts: c.attempts },
    repeat,
  });
  const notYetDue = (id: string) => (s.created.includes(id) ? undefined : k.planned(k.now()).find((p) => p.id === id));

  /** The call as it stands, for a retried action. */
  function current(id: string): msg.AdjustResult | undefined {
    const open = s.open.find((c) => c.id === id);
    if (open) return view(open, true);
    const closed = s.outcomes[id];
    if (closed) {
      const status = closed.outcome === 'waived' ? 'waived' : closed.outcome === 'cancelled' ? 'cancelled' : 'done';
      return view({ id, kind: closed.kind, dueAt: closed.dueAt, status, attempts: closed.attempts }, true);
    }
    const p = notYetDue(id);
    return p ? view({ ...p, status: 'due', attempts: 0 }, true) : undefined;
  }

  /** A waive repeated on a waived call answers as it stands; anything else on a closed call is refused. */
  function closedAnswer(arg: msg.AdjustInput): msg.AdjustResult | undefined {
    const closed = s.outcomes[arg.callbackId];
    if (!closed) return undefined;
    if (arg.action === 'waive' && closed.outcome === 'waived') {
      return view({ id: arg.callbackId, kind: closed.kind, dueAt: closed.dueAt, status: 'waived', attempts: closed.attempts }, true);
    }
    reject('OUTCOME_ALREADY_RECORDED', `callback ${arg.callbackId} is already closed as ${closed.outcome}`);
  }

  on(msg.adjustUpdate, {
    repeat: (arg) => current(arg.callbackId),
    authorize: allow('adjust'),
    check: (arg) => {
      if (m.cancelledAt !== undefined) reject('CONTRACT_CANCELLED', 'the contract is cancelled; its calls are cancelled too');
      const open = s.open.find((c) => c.id === arg.callbackId);
      if (!open) {
        const answer = closedAnswer(arg);
        if (answer) return answer;
        if (!notYetDue(arg.callbackId)) reject('CALLBACK_NOT_FOUND', `callback ${arg.callbackId} is not part of this schedule`);
      }
      if (arg.action === 'reschedule' && !(Date.parse(arg.dueAt!) > k.now())) reject('CALLBACK_DATE_IN_PAST', 'a call is moved to a time still to come');
    },
    apply: async (arg) => {
      const now = k.now();
      const open = s.open.find((c) => c.id === arg.callbackId);
      const p = open ? undefined : notYetDue(arg.callbackId)!;
      const c: msg.CallbackState = open ?? {
        id: p!.id,
        kind: p!.kind,
        dueAt: p!.dueAt,
        activeSince: Math.max(p!.dueAt, now),
        status: 'due',
        reminded: false,
        attempts: 0,
        version: 0,
      };
      const by = arg.actor.sub;
      if (arg.action === 'waive') {
        // Settled at the customer's request: not overdue, not counted as a late call.
        if (!open) s.created.push(c.id);
        c.status = 'waived';
        await k.record('callback_waived', by, { callbackId: c.id, kind: c.kind, dueAt: iso(c.dueAt), ...ref() }, [c]);
        if (!open) s.outcomes[c.id] = { kind: c.kind, dueAt: c.dueAt, outcome: 'waived', attempts: 0 };
        const result = view(c, false);
        k.settle();
        return result;
      }
      const requested = Date.parse(arg.dueAt!);
      const dueAt = shiftToWorkingDay(requested, k.policy.calendar);
      s.moved = { ...s.moved, [c.id]: requested };
      const from = c.dueAt;
      if (open) {
        c.dueAt = c.activeSince = dueAt;
        c.status = 'due';
        c.reminded = false;
      }
      const data = { callbackId: c.id, kind: c.kind, from: iso(from), dueAt: iso(dueAt), ...ref() };
      await k.record('callback_rescheduled', by, data, open ? [c] : []);
      k.fx.changed();
      return view({ ...c, dueAt }, false);
    },
  });
}
