// How a complaint case reads over HTTP: from its MongoDB projection, or from the workflow's fresher state after an action.
import type { ComplaintDoc } from '../../db/models';
import type { ComplaintState } from '../../workflows/complaint.messages';

export type ComplaintDocLean = ComplaintDoc & { _id: string };

function deadlineView(
  d: { step?: string | null; startedAt?: Date | string | null; dueAt?: Date | string | null; remainingMs?: number | null } | null | undefined,
) {
  if (!d?.step || !d.dueAt || !d.startedAt) return [];
  return [
    {
      step: d.step,
      startedAt: new Date(d.startedAt).toISOString(),
      dueAt: new Date(d.dueAt).toISOString(),
      ...(typeof d.remainingMs === 'number' ? { remainingMs: d.remainingMs } : {}),
    },
  ];
}

type AnswerLike = { dueAt?: Date | string | null; answeredAt?: Date | string | null; onTime?: boolean | null; missed?: boolean | null };

/** The answer promised at intake, when the case has that clock. */
function answerView(a: AnswerLike | null | undefined) {
  if (!a?.dueAt) return {};
  const answer = {
    dueAt: new Date(a.dueAt).toISOString(),
    ...(a.answeredAt ? { answeredAt: new Date(a.answeredAt).toISOString() } : {}),
    ...(typeof a.onTime === 'boolean' ? { onTime: a.onTime } : {}),
    missed: Boolean(a.missed),
  };
  return { answer };
}

export function summary(doc: ComplaintDocLean) {
  return {
    id: doc._id,
    kind: doc.kind,
    source: doc.source,
    status: doc.status ?? 'open',
    step: doc.step ?? undefined,
    severity: doc.severity ?? undefined,
    priority: doc.priority ?? undefined,
    level: doc.level ?? 'assistant',
    round: doc.round ?? 0,
    branch: doc.branch ?? undefined,
    contractNo: doc.contractNo ?? undefined,
    category: doc.category ?? undefined,
    overdue: Boolean(doc.overdue),
    createdAt: doc.createdAt.toISOString(),
    deadlines: deadlineView(doc.deadline),
    ...answerView(doc.answer),
    remedies: (doc.remedies ?? []) as Record<string, unknown>[],
    approvals: (doc.approvals ?? []) as Record<string, unknown>[],
  } as const;
}

/** The answer to an action comes from the workflow's own state, which is ahead of the MongoDB projection. */
export function stateSummary(doc: ComplaintDocLean, state: ComplaintState) {
  return {
    ...summary(doc),
    status: state.status,
    step: state.step,
    severity: state.severity,
    priority: state.priority,
    level: state.level,
    round: state.round,
    branch: state.branch,
    overdue: state.overdue,
    deadlines: deadlineView(state.deadline),
    ...answerView(state.answer),
    remedies: state.remedies as unknown as Record<string, unknown>[],
    approvals: state.approvals as unknown as Record<string, unknown>[],
  };
}
