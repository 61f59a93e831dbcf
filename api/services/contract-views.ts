// How a contract and its callbacks read over HTTP, from the MongoDB projection the schedule writes.
import type { CallbackDoc, ContractDoc } from '../../db/models';
import type { CallbackKind, CallbackResult, CallbackStatus, Milestones } from '../../domain/schedule.rules';
import type { Phase } from '../../domain/schedule.rules';
import { AppError } from '../errors';

const iso = (ms: number | Date) => new Date(ms).toISOString();

export type ContractDocLean = ContractDoc & { _id: string };
export type CallbackDocLean = CallbackDoc & { _id: string };

export function alreadyRecorded(cb: CallbackDocLean): AppError {
  return new AppError('OUTCOME_ALREADY_RECORDED', `callback ${cb._id} is already closed as ${cb.outcome ?? cb.status}`);
}

/** The milestones the schedule last wrote (epoch ms), or the registration's own dates before its first write. */
export function milestonesOf(doc: ContractDocLean): Milestones {
  const m = (doc.milestones ?? {}) as Partial<Record<keyof Milestones, unknown>>;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    contractSignedAt: num(m.contractSignedAt) ?? doc.contractSignedAt.getTime(),
    plannedCompletionAt: num(m.plannedCompletionAt) ?? doc.plannedCompletionAt.getTime(),
    warrantyMonths: num(m.warrantyMonths) ?? doc.warrantyMonths,
    workStartedAt: num(m.workStartedAt),
    completedAt: num(m.completedAt),
    cancelledAt: num(m.cancelledAt),
    pennants: Array.isArray(m.pennants) ? (m.pennants as number[]) : [],
    repairs: Array.isArray(m.repairs) ? (m.repairs as Milestones['repairs']) : [],
  };
}

export function callbackItem(c: CallbackDocLean) {
  return {
    id: c._id,
    contractNo: c.contractNo,
    branch: c.branch,
    kind: c.kind as CallbackKind,
    dueAt: c.dueAt.toISOString(),
    status: c.status as CallbackStatus,
    outcome: (c.outcome ?? undefined) as CallbackResult | undefined,
    attempts: c.attempts ?? 0,
    complaintId: c.complaintId ?? undefined,
  };
}

/** The contract as staff see it; the customer only for roles that call the customer. */
export function contractView(doc: ContractDocLean, callbacks: CallbackDocLean[], showCustomer: boolean) {
  const m = milestonesOf(doc);
  const at = (ms: number | undefined) => (ms === undefined ? undefined : iso(ms));
  return {
    contractNo: doc._id,
    branch: doc.branch,
    phase: (doc.phase ?? 'signed') as Phase,
    policyVersion: doc.policyVersion ?? undefined,
    warrantyMonths: doc.warrantyMonths,
    milestones: {
      contractSignedAt: iso(m.contractSignedAt),
      plannedCompletionAt: iso(m.plannedCompletionAt),
      workStartedAt: at(m.workStartedAt),
      completedAt: at(m.completedAt),
      cancelledAt: at(m.cancelledAt),
    },
    customer: showCustomer ? { name: doc.customer?.name ?? undefined, phone: doc.customer?.phone ?? undefined } : undefined,
    callbacks: callbacks.map((c) => {
      const { id, kind, dueAt, status, outcome } = callbackItem(c);
      return { id, kind, dueAt, status, outcome };
    }),
    upcoming: ((doc.plan ?? []) as { id: string; kind: CallbackKind; dueAt: number; calendarVersion: string }[]).map((p) => ({
      id: p.id,
      kind: p.kind,
      dueAt: iso(p.dueAt),
      calendarVersion: p.calendarVersion,
    })),
  };
}
