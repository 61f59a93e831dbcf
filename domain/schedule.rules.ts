// The renovation callback schedule of DOMAIN.md section 1 as pure functions of the recorded milestones and the policy.
import type { Policy } from './policy';
import { addDurationInZone, addWorkingTime, holidaysBetween, shiftToWorkingDay } from './calendar';
import { durationMs } from './duration';

export const CALLBACK_KINDS = ['after_signing', 'construction', 'completion', 'warranty', 'holiday_greeting', 'pennant_thanks', 'post_repair'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export const CALLBACK_STATUSES = ['due', 'overdue', 'escalated', 'done', 'cancelled', 'waived'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const CALLBACK_RESULTS = ['satisfied', 'not_reached', 'problem'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];

export const PHASES = ['signed', 'construction', 'completed', 'warranty', 'closed', 'cancelled'] as const;
export type Phase = (typeof PHASES)[number];

export const MILESTONE_TYPES = ['work_started', 'completed', 'cancelled', 'pennant_received', 'completion_date_changed'] as const;
export type MilestoneType = (typeof MILESTONE_TYPES)[number];

/** What staff have recorded about a contract; every instant is epoch ms. */
export interface Milestones {
  contractSignedAt: number;
  plannedCompletionAt: number;
  warrantyMonths: number;
  workStartedAt?: number;
  completedAt?: number;
  cancelledAt?: number;
  pennants: number[];
  repairs: { complaintId: string; completedAt: number }[];
}

/** How a schedule's newer rules plan, each decided once per run behind its patch; absent: the rules older cases started with. */
export interface PlanRules {
  /** The warranty's own length (P24M); absent: warrantyInterval × warrantyMonths. */
  warrantyLength?: string;
  /** The post-repair call counts its delay in working time. */
  workingPostRepair?: boolean;
  /** A completion recorded without a work start still gets its completion call. */
  completionWithoutStart?: boolean;
  /** Calls moved at the customer's request, by id: their new due instant. */
  moved?: Record<string, number>;
}

/** Bounds the warranty-call walk, so a zero interval cannot loop. */
const MAX_WARRANTY_CALLS = 600;

export interface PlannedCallback {
  id: string;
  kind: CallbackKind;
  dueAt: number;
}

export function callbackId(contractNo: string, kind: CallbackKind, key: string | number): string {
  return `${contractNo}.${kind}.${key}`;
}

/** "About N days": a call due on a weekend or public holiday moves to the next working day (unless the policy says not to). */
function due(instant: number, policy: Policy): number {
  return shiftToWorkingDay(instant, policy.calendar);
}

/**
 * When the schedule ends. The warranty's own end may fall on a weekend or holiday while its last call moves to the
 * next working day; with `keepLastCall` the schedule runs until that call is due, so it is never dropped.
 */
export function warrantyEnd(m: Milestones, policy: Policy, keepLastCall = false, rules: PlanRules = {}): number | undefined {
  if (m.completedAt === undefined) return undefined;
  const zone = policy.calendar.timeZone;
  const length = rules.warrantyLength ?? durationTimes(policy.callbacks.warrantyInterval, m.warrantyMonths);
  const end = addDurationInZone(m.completedAt, length, zone);
  const hasCalls = rules.warrantyLength ? end > m.completedAt : m.warrantyMonths > 0;
  return keepLastCall && hasCalls ? Math.max(end, due(end, policy)) : end;
}

/** Warranty calls every warrantyInterval from completion, up to the warranty's end (its own length, or interval × months). */
function warrantyCallTimes(m: Milestones & { completedAt: number }, policy: Policy, rules: PlanRules): number[] {
  const zone = policy.calendar.timeZone;
  const at = (k: number) => addDurationInZone(m.completedAt, durationTimes(policy.callbacks.warrantyInterval, k), zone);
  if (!rules.warrantyLength) return Array.from({ length: m.warrantyMonths }, (_, i) => at(i + 1));
  const end = addDurationInZone(m.completedAt, rules.warrantyLength, zone);
  const out: number[] = [];
  for (let k = 1; k <= MAX_WARRANTY_CALLS; k++) {
    const t = at(k);
    if (t > end || t <= m.completedAt) break;
    out.push(t);
  }
  return out;
}

/**
 * Every callback the schedule holds for these milestones, in due order. Construction calls run until the recorded
 * completion; with none recorded yet they are listed up to `horizon`, so the list stays finite.
 */
export function plannedCallbacks(contractNo: string, m: Milestones, policy: Policy, horizon: number, rules: PlanRules = {}): PlannedCallback[] {
  const cb = policy.callbacks;
  const plus = (at: number, iso: string) => addDurationInZone(at, iso, policy.calendar.timeZone);
  const out: PlannedCallback[] = [];
  const add = (kind: CallbackKind, key: string | number, at: number) => out.push({ id: callbackId(contractNo, kind, key), kind, dueAt: at });

  add('after_signing', 1, due(plus(m.contractSignedAt, cb.afterSigning), policy));

  if (m.workStartedAt !== undefined) {
    const stop = m.completedAt ?? horizon;
    let n = 0;
    let last = m.workStartedAt;
    for (const offset of cb.afterWorkStart) {
      last = plus(m.workStartedAt, offset);
      if (last >= stop) break;
      add('construction', ++n, due(last, policy));
    }
    if (n === cb.afterWorkStart.length) {
      for (let at = plus(last, cb.constructionInterval); at < stop; at = plus(at, cb.constructionInterval)) {
        add('construction', ++n, due(at, policy));
      }
    }
    const completion = m.completedAt ?? m.plannedCompletionAt;
    add('completion', 1, due(plus(completion, cb.afterCompletion), policy));
    const greetingsUntil = m.completedAt ?? Math.max(horizon, m.plannedCompletionAt);
    for (const h of holidaysBetween(m.workStartedAt, greetingsUntil, policy.calendar)) add('holiday_greeting', h.date, h.at);
  } else if (rules.completionWithoutStart && m.completedAt !== undefined) {
    // Work recorded as completed without a recorded start: no construction calls for work that is over, the completion call still.
    add('completion', 1, due(plus(m.completedAt, cb.afterCompletion), policy));
  }

  if (m.completedAt !== undefined) {
    warrantyCallTimes({ ...m, completedAt: m.completedAt }, policy, rules).forEach((at, i) => {
      add('warranty', i + 1, due(at, policy));
    });
  }
  m.pennants.forEach((at, i) => {
    add('pennant_thanks', i + 1, due(at, policy));
  });
  for (const r of m.repairs) {
    const delay = durationMs(policyRepairDelay(policy));
    const at = rules.workingPostRepair ? addWorkingTime(r.completedAt, delay, policy.calendar) : r.completedAt + delay;
    add('post_repair', r.complaintId, due(at, policy));
  }
  // A call the customer asked to move keeps its new date through every re-plan.
  if (rules.moved) {
    for (const p of out) {
      const asked = rules.moved[p.id];
      if (asked !== undefined) p.dueAt = due(asked, policy);
    }
  }

  const end = m.cancelledAt ?? Infinity;
  return out.filter((p) => p.dueAt < end || p.kind === 'pennant_thanks').sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

function policyRepairDelay(policy: Policy): string {
  return policy.complaint.postRepairCallback;
}

/** P1M × 3 = P3M: monthly warranty calls count from the completion date, so day-of-month never drifts. */
export function durationTimes(iso: string, k: number): string {
  return iso.replace(/(\d+(?:\.\d+)?)([YMWDHS])/g, (_, n: string, unit: string) => `${Number(n) * k}${unit}`);
}

export function phaseOf(m: Milestones, completionCallbackCreated: boolean, now: number, policy: Policy, keepLastCall = false, rules: PlanRules = {}): Phase {
  if (m.cancelledAt !== undefined) return 'cancelled';
  const end = warrantyEnd(m, policy, keepLastCall, rules);
  if (end !== undefined && now >= end) return 'closed';
  if (m.completedAt !== undefined) return completionCallbackCreated ? 'warranty' : 'completed';
  if (m.workStartedAt !== undefined) return 'construction';
  return 'signed';
}

export type MilestoneRefusal = {
  code: 'CONTRACT_CANCELLED' | 'MILESTONE_OUT_OF_ORDER' | 'MILESTONE_CONFLICT' | 'MILESTONE_IN_FUTURE' | 'MILESTONE_NOT_RECORDED';
  message: string;
};

/** Clock skew tolerated between the recording device and the server before a milestone counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Checks a milestone against what is recorded: undefined when it applies, 'repeat' when it changes nothing,
 * or the refusal with its stable code.
 */
export function checkMilestone(
  m: Milestones,
  type: MilestoneType,
  at: number,
  plannedCompletionAt: number | undefined,
  now: number,
  /** DOMAIN §1: a completion recorded before any work start is followed, not refused (patched in running schedules). */
  followOutOfOrder = false,
): MilestoneRefusal | 'repeat' | undefined {
  // Milestones record what happened; only the planned completion date may lie ahead.
  if (at > now + FUTURE_TOLERANCE_MS)
    return { code: 'MILESTONE_IN_FUTURE', message: 'a milestone records what has happened; its date cannot be in the future' };
  if (m.cancelledAt !== undefined) {
    return type === 'cancelled' && at === m.cancelledAt
      ? 'repeat'
      : { code: 'CONTRACT_CANCELLED', message: 'the contract is cancelled; nothing more can be recorded' };
  }
  switch (type) {
    case 'work_started':
      if (m.workStartedAt === at) return 'repeat';
      if (m.workStartedAt !== undefined) return { code: 'MILESTONE_CONFLICT', message: 'work start is already recorded with another date' };
      if (at < m.contractSignedAt) return { code: 'MILESTONE_OUT_OF_ORDER', message: 'work cannot start before the contract is signed' };
      if (followOutOfOrder && m.completedAt !== undefined && at > m.completedAt)
        return { code: 'MILESTONE_OUT_OF_ORDER', message: 'work cannot start after the recorded completion' };
      return undefined;
    case 'completed':
      if (m.completedAt === at) return 'repeat';
      if (m.completedAt !== undefined) return { code: 'MILESTONE_CONFLICT', message: 'completion is already recorded with another date' };
      if (followOutOfOrder && m.workStartedAt === undefined) {
        if (at < m.contractSignedAt) return { code: 'MILESTONE_OUT_OF_ORDER', message: 'completion cannot come before the contract is signed' };
        return undefined;
      }
      if (m.workStartedAt === undefined || at < m.workStartedAt)
        return {
          code: 'MILESTONE_OUT_OF_ORDER',
          message: followOutOfOrder
            ? 'completion cannot come before the recorded work start; a supervisor corrects the work start first (milestone-corrections)'
            : 'completion cannot come before work started',
        };
      return undefined;
    case 'cancelled':
      return undefined;
    case 'pennant_received':
      return m.pennants.includes(at) ? 'repeat' : undefined;
    case 'completion_date_changed':
      if (plannedCompletionAt === undefined) return { code: 'MILESTONE_OUT_OF_ORDER', message: 'plannedCompletionAt is required' };
      if (m.completedAt !== undefined) return { code: 'MILESTONE_OUT_OF_ORDER', message: 'the work is already completed' };
      if (plannedCompletionAt === m.plannedCompletionAt) return 'repeat';
      if (plannedCompletionAt < (m.workStartedAt ?? m.contractSignedAt))
        return { code: 'MILESTONE_OUT_OF_ORDER', message: 'completion cannot be planned before work starts' };
      return undefined;
  }
}

export const CORRECTABLE_MILESTONES = ['work_started', 'completed'] as const;
export type CorrectableMilestone = (typeof CORRECTABLE_MILESTONES)[number];

/** Checks a supervisor's correction of a recorded date: undefined when it applies, 'repeat' when the date is already that, or the refusal. */
export function checkCorrection(m: Milestones, milestone: CorrectableMilestone, at: number, now: number): MilestoneRefusal | 'repeat' | undefined {
  if (m.cancelledAt !== undefined) return { code: 'CONTRACT_CANCELLED', message: 'the contract is cancelled; nothing more can be recorded' };
  if (at > now + FUTURE_TOLERANCE_MS) return { code: 'MILESTONE_IN_FUTURE', message: 'a corrected date records what has happened; it cannot be in the future' };
  const recorded = milestone === 'work_started' ? m.workStartedAt : m.completedAt;
  if (recorded === undefined) return { code: 'MILESTONE_NOT_RECORDED', message: `${milestone} is not recorded yet; record it as a milestone instead` };
  if (recorded === at) return 'repeat';
  if (at < m.contractSignedAt) return { code: 'MILESTONE_OUT_OF_ORDER', message: `${milestone} cannot be before the contract is signed` };
  if (milestone === 'work_started' && m.completedAt !== undefined && at > m.completedAt)
    return { code: 'MILESTONE_OUT_OF_ORDER', message: 'work start cannot move after the recorded completion; correct the completion first' };
  if (milestone === 'completed' && m.workStartedAt !== undefined && at < m.workStartedAt)
    return { code: 'MILESTONE_OUT_OF_ORDER', message: 'completion cannot move before the recorded work start; correct the work start first' };
  return undefined;
}

/** A contract's warranty: its own months if given, else the policy's length (older policies: defaultWarrantyMonths × interval). */
export function warrantyOf(givenMonths: number | undefined, cb: Policy['callbacks']): { warrantyMonths: number; warrantyLength?: string } {
  if (!cb.warrantyLength) return { warrantyMonths: givenMonths ?? cb.defaultWarrantyMonths };
  if (givenMonths !== undefined) return { warrantyMonths: givenMonths, warrantyLength: `P${givenMonths}M` };
  // Shown as months; a length not in years and months (a shortened policy) shows the policy's default months.
  const ym = /^P(?:(\d+)Y)?(?:(\d+)M)?$/.exec(cb.warrantyLength);
  const months = ym && (ym[1] || ym[2]) ? Number(ym[1] ?? 0) * 12 + Number(ym[2] ?? 0) : cb.defaultWarrantyMonths;
  return { warrantyMonths: months, warrantyLength: cb.warrantyLength };
}
