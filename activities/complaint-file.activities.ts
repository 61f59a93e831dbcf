// Writes of a complaint's case file: its events, the projection staff read, the notices, the legal handoff packet.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import type { PendingApproval } from '../domain/approval.rules';
import type { ApprovalDecision } from '../domain/authority';
import type { ComplaintStatus, Remedy, Step } from '../domain/complaint.rules';
import type { Level, Priority, Role, Severity } from '../domain/roles';
import { kpiFlags } from './kpi-flags';
import { createNotices } from './notification.activities';
import type { TaskInput } from './task.activities';
import type { WorklistWriter } from '../db/worklist-writer';

/** The fields of a case the projection stores; the workflow's state carries at least these. */
export interface ComplaintSnapshot {
  status: ComplaintStatus;
  step: Step;
  level: Level;
  round: number;
  severity: Severity;
  priority: Priority;
  routedTo: Role;
  branch?: string;
  overdue: boolean;
  valid: boolean;
  deadline?: { step: Step; startedAt: string; dueAt: string; warningsSent: number; remainingMs?: number };
  closedAt?: string;
  remedies: { type: Remedy; defect?: string; amount?: number; currency: string; by: string; at: string; payer?: string }[];
  approvals: { decision: ApprovalDecision; approved: boolean; role: Role; by: string; at: string }[];
  policyVersion: string;
  firstCallbackOnTime?: boolean;
  followUps: number;
  resolvedAt?: string;
  handlingMs?: number;
  surveySatisfied?: boolean;
  /** The customer's answer clock, on cases that have one. */
  answer?: { startedAt: string; dueAt: string; answeredAt?: string; onTime?: boolean; missed?: boolean };
  /** Carried by the workflow's state (the snapshot is the whole state); read by the worklist. */
  surveyRecorded?: boolean;
  /** Decisions asked of the matrix and not yet decided: worklist items of their approvers. */
  approvalRequests?: PendingApproval[];
}

export interface CaseEventInput {
  complaintId: string;
  /** The entry's position in the case file; keys the event and guards the projection against an older retry. */
  seq: number;
  event: { type: string; at: string; level: string; by: string; data: Record<string, unknown> };
  snapshot: ComplaintSnapshot;
  notify: Role[];
}

/** A notification line without personal data: case, what happened, at which level. */
export function notificationMessage(complaintId: string, type: string, level: string, data: Record<string, unknown>): string {
  const detail = typeof data.step === 'string' ? ` (${data.step})` : typeof data.to === 'string' ? ` to ${data.to}` : '';
  return `Complaint ${complaintId}: ${type.replace(/_/g, ' ')}${detail}, level ${level}`;
}

/** One entry of a case file as a step writes it; the snapshot travels once per step, not per entry. */
export interface CaseEntry {
  seq: number;
  event: { type: string; at: string; level: string; by: string; data: Record<string, unknown> };
  notify: Role[];
}

/** Everything one step of a complaint writes, in one activity: its entries, the projection, tasks and a handoff packet. */
export interface CaseStepInput {
  complaintId: string;
  entries: CaseEntry[];
  snapshot: ComplaintSnapshot;
  tasks?: TaskInput[];
  /** Set when the step handed the case to legal: the packet is keyed on that entry and holds the file up to it. */
  handoffSeq?: number;
}

/** What a step's notices need posting: none when no webhook is configured, so the case starts no delivery at all. */
export interface StepWritten {
  notificationsCreated: number;
  notificationIds: string[];
}

export function complaintFileActivities(models: Models, postsToWebhook: boolean, createTask: (task: TaskInput) => Promise<boolean>, worklist: WorklistWriter) {
  const { Complaint, CaseEvent, Handoff } = models;

  /** The worklist after a step: its current item (beside the other writes), and a recorded survey settles its task. */
  function updateWorklist(complaintId: string, seq: number, snapshot: ComplaintSnapshot, tasksWritten: Promise<unknown>): Promise<unknown> {
    return Promise.all([
      worklist.complaintStep(complaintId, seq, { complaintId, ...snapshot, deadline: snapshot.deadline ?? null }),
      // Only cases with the answer clock have an answer item.
      snapshot.answer ? worklist.answer(complaintId, seq, snapshot) : undefined,
      // A case that never asked for a decision has no approval items: no write for it.
      snapshot.approvalRequests ? worklist.approvals(complaintId, seq, snapshot.branch, snapshot.approvalRequests) : undefined,
      snapshot.surveyRecorded ? tasksWritten.then(() => worklist.settleSurveys(complaintId)) : undefined,
    ]);
  }

  function writeEntry(complaintId: string, branch: string | undefined, { seq, event, notify }: CaseEntry) {
    const at = new Date(event.at);
    const written = insertOnce(() =>
      CaseEvent.updateOne(
        { _id: `${complaintId}:${String(seq).padStart(6, '0')}` },
        { $setOnInsert: { complaintId, seq, at, recordedAt: new Date(), type: event.type, level: event.level, by: event.by, data: event.data } },
        { upsert: true },
      ),
    );
    const notices = createNotices(
      models,
      {
        caseId: complaintId,
        caseType: 'complaint',
        seq,
        type: event.type,
        branch,
        level: event.level,
        message: notificationMessage(complaintId, event.type, event.level, event.data),
        createdAt: at,
      },
      notify,
    );
    return Promise.all([written, notices]).then(([, n]) => n);
  }

  // After the projection, one at a time: FerretDB v1 updates a document by read-modify-write, so two concurrent updates
  // of one complaint can lose one (a KPI flag written beside the projection undid the projection).
  async function applyKpiFlags(complaintId: string, entries: readonly CaseEntry[]) {
    for (const { event } of entries) {
      const flags = kpiFlags(event);
      if (flags) await Complaint.updateOne({ _id: complaintId, ...flags.filter }, { $set: flags.set });
    }
  }

  /** Only cases with the answer clock carry its fields, so older ones keep counting by their first callback. */
  function answerFields(a: ComplaintSnapshot['answer']) {
    if (!a) return {};
    const answer = {
      startedAt: new Date(a.startedAt),
      dueAt: new Date(a.dueAt),
      answeredAt: a.answeredAt ? new Date(a.answeredAt) : null,
      onTime: a.onTime ?? null,
      missed: Boolean(a.missed),
    };
    return { answer, answeredOnTime: a.onTime === true };
  }

  // Guarded by sequence so a late retry of an older step never overwrites a newer state.
  function project(complaintId: string, seq: number, snapshot: ComplaintSnapshot) {
    const dl = snapshot.deadline;
    return Complaint.updateOne(
      { _id: complaintId, stateSeq: { $lt: seq } },
      {
        $set: {
          stateSeq: seq,
          status: snapshot.status,
          step: snapshot.step,
          level: snapshot.level,
          round: snapshot.round,
          severity: snapshot.severity,
          priority: snapshot.priority,
          routedTo: snapshot.routedTo,
          branch: snapshot.branch,
          overdue: snapshot.overdue,
          valid: snapshot.valid,
          deadline: dl ?? null,
          nextDeadlineAt: dl && snapshot.status === 'open' ? new Date(dl.dueAt) : null,
          closedAt: snapshot.closedAt ? new Date(snapshot.closedAt) : null,
          remedies: snapshot.remedies,
          approvals: snapshot.approvals,
          approvalRequests: snapshot.approvalRequests ?? [],
          policyVersion: snapshot.policyVersion,
          firstCallbackOnTime: snapshot.firstCallbackOnTime ?? null,
          followUps: snapshot.followUps ?? 0,
          resolvedAt: snapshot.resolvedAt ? new Date(snapshot.resolvedAt) : null,
          handlingMs: snapshot.handlingMs ?? null,
          surveySatisfied: snapshot.surveySatisfied ?? null,
          ...answerFields(snapshot.answer),
        },
      },
    );
  }

  async function writeLegalHandoff({ complaintId, seq }: { complaintId: string; seq: number }): Promise<string> {
    const id = `${complaintId}:${seq}`;
    const complaint = await Complaint.findById(complaintId).lean();
    const history = await CaseEvent.find({ complaintId, seq: { $lte: seq } })
      .sort({ seq: 1 })
      .lean();
    await insertOnce(() =>
      Handoff.updateOne(
        { _id: id },
        { $setOnInsert: { complaintId, createdAt: new Date(), complaint: complaint ?? { _id: complaintId }, history } },
        { upsert: true },
      ),
    );
    return id;
  }

  const posted = (ids: string[]) => (postsToWebhook ? ids : []);

  return {
    /** One entry per activity: what cases recorded before one-write-per-step still replay against. */
    async recordCaseEvent({ complaintId, seq, event, snapshot, notify }: CaseEventInput): Promise<StepWritten> {
      const [result] = await Promise.all([
        writeEntry(complaintId, snapshot.branch, { seq, event, notify }),
        project(complaintId, seq, snapshot),
        updateWorklist(complaintId, seq, snapshot, Promise.resolve()),
      ]);
      await applyKpiFlags(complaintId, [{ seq, event, notify }]);
      return { notificationsCreated: result.notificationsCreated, notificationIds: posted(result.notificationIds) };
    },

    /** A whole step in one write: entries and notices side by side, then tasks, then the legal packet that reads them. */
    async recordCaseStep({ complaintId, entries, snapshot, tasks = [], handoffSeq }: CaseStepInput): Promise<StepWritten> {
      const lastSeq = Math.max(...entries.map((e) => e.seq));
      const tasksWritten = Promise.all(tasks.map(createTask));
      const [written] = await Promise.all([
        Promise.all(entries.map((e) => writeEntry(complaintId, snapshot.branch, e))),
        project(complaintId, lastSeq, snapshot),
        tasksWritten,
        updateWorklist(complaintId, lastSeq, snapshot, tasksWritten),
      ]);
      await applyKpiFlags(complaintId, entries);
      if (handoffSeq !== undefined) await writeLegalHandoff({ complaintId, seq: handoffSeq });
      return {
        notificationsCreated: written.reduce((n, w) => n + w.notificationsCreated, 0),
        notificationIds: posted(written.flatMap((w) => w.notificationIds)),
      };
    },

    writeLegalHandoff,
  };
}
