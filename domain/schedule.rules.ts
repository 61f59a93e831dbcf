// The renovation callback schedule of DOMAIN.md section 1 as pure functions of the recorded milestones and the policy.
import type { Policy } from './policy';
import { addDurationInZone, holidaysBetween, shiftToWorkingDay } from './calendar';
import { durationMs } from './duration';

export const CALLBACK_KINDS = ['after_signing', 'construction', 'completion', 'warranty', 'holiday_greeting', 'pennant_thanks', 'post_repair'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export const CALLBACK_STATUSES = ['due', 'overdue', 'escalated', 'done', 'cancelled'] as const;
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
export function warrantyEnd(m: Milestones, policy: Policy, keepLastCall = false): number | undefined {
  if (m.completedAt === undefined) return undefined;
  const end = addDurationInZone(m.completedAt, durationTimes(policy.callbacks.warrantyInterval, m.warrantyMonths), policy.calendar.timeZone);
  return keepLastCall && m.warrantyMonths > 0 ? Math.max(end, due(end, policy)) : end;
}

/**
 * Every callback the schedule holds for these milestones, in due order. Construction calls run until the recorded
 * completion; with none recorded yet they are listed up to `horizon`, so the list stays finite.
 */
export function plannedCallbacks(contractNo: string, m: Milestones, policy: Policy, horizon: number): PlannedCallback[] {
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
  }

  if (m.completedAt !== undefined) {
    for (let k = 1; k <= m.warrantyMonths; k++) {
      add('warranty', k, due(plus(m.completedAt, durationTimes(cb.warrantyInterval, k)), policy));
    }
  }
  m.pennants.forEach((at, i) => {
    add('pennant_thanks', i + 1, due(at, policy));
  });
  for (const r of m.repairs) add('post_repair', r.complaintId, due(r.completedAt + durationMs(policyRepairDelay(policy)), policy));

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

export function phaseOf(m: Milestones, completionCallbackCreated: boolean, now: number, policy: Policy, keepLastCall = false): Phase {
  if (m.cancelledAt !== undefined) return 'cancelled';
  const end = warrantyEnd(m, policy, keepLastCall);
  if (end !== undefined && now >= end) return 'closed';
  if (m.completedAt !== undefined) return completionCallbackCreated ? 'warranty' : 'completed';
  if (m.workStartedAt !== undefined) return 'construction';
  return 'signed';
}

export type MilestoneRefusal = {
  code: 'CONTRACT_CANCELLED' | 'MILESTONE_OUT_OF_ORDER' | 'MILESTONE_CONFLICT' | 'MILESTONE_IN_FUTURE';
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
      return undefined;
    case 'completed':
      if (m.completedAt === at) return 'repeat';
      if (m.completedAt !== undefined) return { code: 'MILESTONE_CONFLICT', message: 'completion is already recorded with another date' };
      if (m.workStartedAt === undefined || at < m.workStartedAt)
        return { code: 'MILESTONE_OUT_OF_ORDER', message: 'completion cannot come before work started' };
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
