// Activities over injected models: every write is an upsert keyed on the case id and event sequence, so retries are harmless.
import { Context } from '@temporalio/activity';
import { createHmac } from 'node:crypto';
import type { Role } from '../domain/roles';
import { isDuplicateKey, notificationPayload, type Models } from '../db/models';
import type { ComplaintState } from '../workflows/complaint.messages';
import type { CallbackState } from '../workflows/project.messages';
import type { Milestones } from '../domain/schedule.rules';
import type { Policy } from '../schemas/policy.schema';
import { computeKpis } from './kpi-report';

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

export interface ScheduleChangeInput {
  contractNo: string;
  seq: number;
  event: { type: string; at: string; by: string; data: Record<string, unknown> };
  project: { phase: string; branch: string; milestones: Milestones; policyVersion: string };
  callbacks: CallbackState[];
  notify: Role[];
}

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Per-request timeout; a slow receiver counts as a failed attempt and Temporal retries it. */
  timeoutMs?: number;
}

export interface ActivityDeps {
  models: Models;
  webhook?: WebhookConfig;
  /** The policy whose KPI targets summaries are measured against (the worker's current one). */
  policy?: Policy;
}

/** Header value a receiver recomputes to trust a notification: HMAC-SHA256 over the exact body bytes. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
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

export function createActivities({ models, webhook, policy }: ActivityDeps) {
  const { Complaint, CaseEvent, Notification, Task, Handoff, Project, Callback, ProjectEvent } = models;

  async function notifyOnce(id: string, fields: Record<string, unknown>): Promise<boolean> {
    return insertOnce(() => Notification.updateOne({ _id: id }, { $setOnInsert: { ...fields, readBy: [] } }, { upsert: true }));
  }

  return {
    async recordCaseEvent({ complaintId, seq, event, snapshot, notify }: CaseEventInput): Promise<{ notificationsCreated: number; notificationIds: string[] }> {
      const at = new Date(event.at);
      const dl = snapshot.deadline;
      // The event, the projection and each notice are separate documents: written side by side, each idempotent.
      const eventWritten = insertOnce(() =>
        CaseEvent.updateOne(
          { _id: `${complaintId}:${String(seq).padStart(6, '0')}` },
          { $setOnInsert: { complaintId, seq, at, type: event.type, level: event.level, by: event.by, data: event.data } },
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
      const notices = notify.map((role) =>
        notifyOnce(`${complaintId}:${seq}:${role}`, {
          caseId: complaintId,
          caseType: 'complaint',
          type: event.type,
          recipientRole: role,
          branch: snapshot.branch,
          level: event.level,
          message: notificationMessage(complaintId, event.type, event.level, event.data),
          createdAt: at,
        }),
      );
      const [, , ...created] = await Promise.all([eventWritten, projected, ...notices]);
      return { notificationsCreated: created.filter(Boolean).length, notificationIds: notify.map((role) => `${complaintId}:${seq}:${role}`) };
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

    /** One change of a callback schedule: its event, the project projection, the callbacks it touched, the notices. */
    async recordScheduleChange({ contractNo, seq, event, project, callbacks, notify }: ScheduleChangeInput): Promise<{ notificationsCreated: number; notificationIds: string[] }> {
      const at = new Date(event.at);
      const eventWritten = insertOnce(() =>
        ProjectEvent.updateOne(
          { _id: `${contractNo}:${String(seq).padStart(6, '0')}` },
          { $setOnInsert: { contractNo, seq, at, type: event.type, by: event.by, data: event.data } },
          { upsert: true },
        ),
      );
      const projected = Project.updateOne(
        { _id: contractNo, stateSeq: { $lt: seq } },
        { $set: { stateSeq: seq, phase: project.phase, milestones: project.milestones, policyVersion: project.policyVersion } },
      );
      const callbackWrites = callbacks.map(async (c) => {
        await insertOnce(() =>
          Callback.updateOne(
            { _id: c.id },
            { $setOnInsert: { contractNo, branch: project.branch, kind: c.kind, dueAt: new Date(c.dueAt), status: c.status, attempts: 0, createdAt: at, version: 0 } },
            { upsert: true },
          ),
        );
        // Guarded by the callback's own version, so a late retry never undoes a newer outcome.
        await Callback.updateOne(
          { _id: c.id, version: { $lt: c.version } },
          {
            $set: {
              dueAt: new Date(c.dueAt),
              status: c.status,
              outcome: c.outcome ?? null,
              attempts: c.attempts,
              complaintId: c.complaintId ?? null,
              onTime: c.onTime ?? null,
              updatedAt: at,
              version: c.version,
            },
          },
        );
      });
      const subject = typeof event.data.callbackId === 'string' ? `callback ${event.data.callbackId}` : `contract ${contractNo}`;
      const notices = notify.map((role) =>
        notifyOnce(`${contractNo}:${seq}:${role}`, {
          caseId: contractNo,
          caseType: 'project',
          type: event.type,
          recipientRole: role,
          branch: project.branch,
          message: `${subject}: ${event.type.replace(/_/g, ' ')}`,
          createdAt: at,
        }),
      );
      const [, , , created] = await Promise.all([eventWritten, projected, Promise.all(callbackWrites), Promise.all(notices)]);
      return { notificationsCreated: created.filter(Boolean).length, notificationIds: notify.map((role) => `${contractNo}:${seq}:${role}`) };
    },

    /**
     * Posts one stored notification to the webhook, signed, at most once: a recorded delivery is never posted again,
     * and the id travels in the body and a header so a receiver can drop a repeat after a crash mid-post.
     */
    async deliverNotification(id: string): Promise<'delivered' | 'already' | 'disabled' | 'missing'> {
      if (!webhook) return 'disabled';
      const n = await Notification.findById(id).lean();
      if (!n) return 'missing';
      if (n.deliveredAt) return 'already';
      const body = JSON.stringify(notificationPayload(n));
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-notification-id': n._id, 'x-signature-sha256': webhookSignature(webhook.secret, body) },
        body,
        signal: AbortSignal.timeout(webhook.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status} for notification ${id}`);
      await Notification.updateOne({ _id: id, deliveredAt: null }, { $set: { deliveredAt: new Date() } });
      Context.current().metricMeter.createCounter('notifications_sent', 'notifications', 'Notifications delivered to the webhook').add(1, { type: n.type });
      return 'delivered';
    },

    /** One summary per period and window: a second run for the same window finds it stored and writes nothing. */
    async storeKpiSummary({ period, label, from, to }: { period: string; label: string; from: string; to: string }) {
      const id = `${period}:${label}`;
      const { Summary } = models;
      if (await Summary.exists({ _id: id })) return { id, created: false };
      if (!policy) throw new Error('the worker has no policy to measure KPI targets against');
      const kpis = await computeKpis(models, policy, { from: new Date(from), to: new Date(to) });
      const created = await insertOnce(() =>
        Summary.updateOne(
          { _id: id },
          { $setOnInsert: { period, label, from: new Date(from), to: new Date(to), createdAt: new Date(), policyVersion: policy.version, kpis } },
          { upsert: true },
        ),
      );
      return { id, created };
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
