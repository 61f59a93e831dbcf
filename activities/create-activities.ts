// Activities over injected models: every write is keyed on the case id and entry sequence, so retries are harmless.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import { computeKpis } from '../db/kpi-queries';
import type { Policy } from '../domain/policy';
import type { Role } from '../domain/roles';
import { complaintFileActivities } from './complaint-file.activities';
import { contractFileActivities } from './contract-file.activities';
import { notificationActivities, type WebhookConfig } from './notification.activities';

export type { CaseEventInput, ComplaintSnapshot } from './complaint-file.activities';
export type { CallbackChange, ScheduleChangeInput } from './contract-file.activities';
export { notificationMessage } from './complaint-file.activities';
export { webhookSignature, type WebhookConfig } from './notification.activities';

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
  webhook?: WebhookConfig;
  /** The policy whose KPI targets summaries are measured against (the worker's current one). */
  policy?: Policy;
}

export function createActivities({ models, webhook, policy }: ActivityDeps) {
  const { Task, Summary } = models;
  return {
    ...complaintFileActivities(models),
    ...contractFileActivities(models),
    ...notificationActivities(models, webhook),

    /** One summary per period and window: a second run for the same window finds it stored and writes nothing. */
    async storeKpiSummary({ period, label, from, to }: { period: string; label: string; from: string; to: string }) {
      const id = `${period}:${label}`;
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
        Task.updateOne({ _id: id }, { $setOnInsert: { ...fields, dueAt: new Date(task.dueAt), status: 'due', createdAt: new Date() } }, { upsert: true }),
      );
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
