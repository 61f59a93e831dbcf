// Activities over injected models: every write is an upsert keyed on the case id and event sequence, so retries are harmless.
import type { Role } from '../domain/roles';
import { isDuplicateKey, type Models } from '../db/models';
import type { ComplaintState } from '../workflows/complaint.messages';

export interface CaseEventInput {
  complaintId: string;
  seq: number;
  event: { type: string; at: string; level: string; by: string; data: Record<string, unknown> };
  snapshot: ComplaintState;
  notify: Role[];
}

export interface TaskInput {
  id: string;
  type: string;
  complaintId?: string;
  contractNo?: string;
  branch?: string;
  assigneeRole: Role;
  dueAt: string;
}

export interface ActivityDeps {
  models: Models;
}

async function insertOnce(run: () => Promise<{ upsertedCount: number }>): Promise<boolean> {
  try {
    return (await run()).upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** A notification line without personal data: case, what happened, at which level. */
export function notificationMessage(complaintId: string, type: string, level: string, data: Record<string, unknown>): string {
  const detail = typeof data.step === 'string' ? ` (${data.step})` : typeof data.to === 'string' ? ` to ${data.to}` : '';
  return `Complaint ${complaintId}: ${type.replace(/_/g, ' ')}${detail}, level ${level}`;
}

export function createActivities({ models }: ActivityDeps) {
  const { Complaint, CaseEvent, Notification, Task, Handoff } = models;

  return {
    async recordCaseEvent({ complaintId, seq, event, snapshot, notify }: CaseEventInput): Promise<{ notificationsCreated: number }> {
      const at = new Date(event.at);
      await insertOnce(() =>
        CaseEvent.updateOne(
          { _id: `${complaintId}:${String(seq).padStart(6, '0')}` },
          { $setOnInsert: { complaintId, seq, at, type: event.type, level: event.level, by: event.by, data: event.data } },
          { upsert: true },
        ),
      );
      const dl = snapshot.deadline;
      // Guarded by sequence so a late retry of an older event never overwrites a newer state.
      await Complaint.updateOne(
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
          },
        },
      );
      let notificationsCreated = 0;
      for (const role of notify) {
        const created = await insertOnce(() =>
          Notification.updateOne(
            { _id: `${complaintId}:${seq}:${role}` },
            {
              $setOnInsert: {
                caseId: complaintId,
                caseType: 'complaint',
                type: event.type,
                recipientRole: role,
                branch: snapshot.branch,
                level: event.level,
                message: notificationMessage(complaintId, event.type, event.level, event.data),
                createdAt: at,
                readBy: [],
              },
            },
            { upsert: true },
          ),
        );
        if (created) notificationsCreated++;
      }
      return { notificationsCreated };
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

    async createTask(task: TaskInput): Promise<boolean> {
      const { id, ...fields } = task;
      return insertOnce(() =>
        Task.updateOne(
          { _id: id },
          { $setOnInsert: { ...fields, dueAt: new Date(task.dueAt), status: 'due', createdAt: new Date() } },
          { upsert: true },
        ),
      );
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
