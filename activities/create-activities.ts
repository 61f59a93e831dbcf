// Activities over injected models: every write is keyed on the case id and entry sequence, so retries are harmless.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import { computeKpis } from '../db/kpi-queries';
import type { Policy } from '../domain/policy';
import { complaintFileActivities } from './complaint-file.activities';
import { contractFileActivities } from './contract-file.activities';
import { notificationActivities, type WebhookConfig } from './notification.activities';
import { taskActivities } from './task.activities';
import { worklistWriter } from './worklist.activities';

export type { CaseEntry, CaseEventInput, CaseStepInput, ComplaintSnapshot, StepWritten } from './complaint-file.activities';
export type { CallbackChange, ContractEntry, ContractStepInput, ScheduleChangeInput } from './contract-file.activities';
export { notificationMessage } from './complaint-file.activities';
export { webhookSignature, type WebhookConfig } from './notification.activities';

export type { TaskInput } from './task.activities';

export interface ActivityDeps {
  models: Models;
  webhook?: WebhookConfig;
  /** The policy whose KPI targets summaries are measured against (the worker's current one). */
  policy?: Policy;
}

export function createActivities({ models, webhook, policy }: ActivityDeps) {
  const { Summary } = models;
  const worklist = worklistWriter(models);
  const tasks = taskActivities(models, worklist);
  return {
    ...tasks,
    ...complaintFileActivities(models, Boolean(webhook), tasks.createTask, worklist),
    ...contractFileActivities(models, Boolean(webhook), worklist),
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
