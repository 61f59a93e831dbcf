// Writes of a complaint's case file: its events, the projection staff read, the notices, the legal handoff packet.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import type { ApprovalDecision } from '../domain/authority';
import type { ComplaintStatus, Remedy, Step } from '../domain/complaint.rules';
import type { Level, Priority, Role, Severity } from '../domain/roles';
import { createNotices } from './notification.activities';

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
  remedies: { type: Remedy; defect?: string; amount?: number; currency: string; by: string; at: string }[];
  approvals: { decision: ApprovalDecision; approved: boolean; role: Role; by: string; at: string }[];
  policyVersion: string;
  firstCallbackOnTime?: boolean;
  followUps: number;
  resolvedAt?: string;
  handlingMs?: number;
  surveySatisfied?: boolean;
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

export function complaintFileActivities(models: Models) {
  const { Complaint, CaseEvent, Handoff } = models;
  return {
    async recordCaseEvent({ complaintId, seq, event, snapshot, notify }: CaseEventInput): Promise<{ notificationsCreated: number; notificationIds: string[] }> {
      const at = new Date(event.at);
      const dl = snapshot.deadline;
      // The event, the projection and each notice are separate documents: written side by side, each idempotent.
      const eventWritten = insertOnce(() =>
        CaseEvent.updateOne(
          { _id: `${complaintId}:${String(seq).padStart(6, '0')}` },
          { $setOnInsert: { complaintId, seq, at, recordedAt: new Date(), type: event.type, level: event.level, by: event.by, data: event.data } },
          { upsert: true },
        ),
      );
      // Guarded by sequence so a late retry of an older event never overwrites a newer state.
      const projected = Complaint.updateOne(
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
            policyVersion: snapshot.policyVersion,
            firstCallbackOnTime: snapshot.firstCallbackOnTime ?? null,
            followUps: snapshot.followUps ?? 0,
            resolvedAt: snapshot.resolvedAt ? new Date(snapshot.resolvedAt) : null,
            handlingMs: snapshot.handlingMs ?? null,
            surveySatisfied: snapshot.surveySatisfied ?? null,
          },
        },
      );
      const notices = createNotices(
        models,
        {
          caseId: complaintId,
          caseType: 'complaint',
          seq,
          type: event.type,
          branch: snapshot.branch,
          level: event.level,
          message: notificationMessage(complaintId, event.type, event.level, event.data),
          createdAt: at,
        },
        notify,
      );
      const [, , result] = await Promise.all([eventWritten, projected, notices]);
      return result;
    },

    async writeLegalHandoff({ complaintId, seq }: { complaintId: string; seq: number }): Promise<string> {
      const id = `${complaintId}:${seq}`;
      const complaint = await Complaint.findById(complaintId).lean();
      const history = await CaseEvent.find({ complaintId }).sort({ seq: 1 }).lean();
      await insertOnce(() =>
        Handoff.updateOne(
          { _id: id },
          { $setOnInsert: { complaintId, createdAt: new Date(), complaint: complaint ?? { _id: complaintId }, history } },
          { upsert: true },
        ),
      );
      return id;
    },
  };
}
