// Activities over injected models: every write is keyed on the case id and entry sequence, so retries are harmless.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import { computeKpiRows } from '../db/kpi-queries';
import type { Policy } from '../domain/policy';
import { calendarActivities } from './calendar.activities';
import { complaintFileActivities } from './complaint-file.activities';
import { contractFileActivities } from './contract-file.activities';
import { createNotices, notificationActivities, type WebhookConfig } from './notification.activities';
import { taskActivities } from './task.activities';
import { worklistWriter } from '../db/worklist-writer';
import { FALLBACK_BUCKET_ZONE } from '../domain/worklist-buckets';

export type { CaseEntry, CaseEventInput, CaseStepInput, ComplaintSnapshot, StepWritten } from './complaint-file.activities';
export type { CallbackChange, ContractEntry, ContractStepInput, PlanItem, ScheduleChangeInput } from './contract-file.activities';
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
  const worklist = worklistWriter(models, policy?.calendar.timeZone ?? FALLBACK_BUCKET_ZONE);
  const tasks = taskActivities(models, worklist);
  return {
    ...tasks,
    ...complaintFileActivities(models, Boolean(webhook), tasks.createTask, worklist),
    ...contractFileActivities(models, Boolean(webhook), worklist),
    ...notificationActivities(models, webhook),
    ...calendarActivities(models, Boolean(webhook)),

    /**
     * One summary per period and window, with a row per branch, announced to the policy's readers: a second run for
     * the same window finds it stored and writes nothing; notices are keyed on the summary, so a retry adds none.
     */
    async storeKpiSummary({ period, label, from, to }: { period: string; label: string; from: string; to: string }) {
      const id = `${period}:${label}`;
      if (!policy) throw new Error('the worker has no policy to measure KPI targets against');
      let created = false;
      let doc = await Summary.findById(id).lean();
      if (!doc) {
        const rows = await computeKpiRows(models, policy, { from: new Date(from), to: new Date(to) });
        const fields = { period, label, from: new Date(from), to: new Date(to), createdAt: new Date(), policyVersion: policy.version, ...rows };
        created = await insertOnce(() => Summary.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true }));
        doc = await Summary.findById(id).lean();
      }
      const met = (doc?.kpis ?? []).filter((k) => (k as { met?: boolean }).met === true).length;
      const message = `KPI summary ${period} from ${label}: ${met} of ${doc?.kpis.length ?? 0} targets met`;
      const notices = await createNotices(
        models,
        { caseId: `summary:${id}`, caseType: 'summary', seq: 0, type: 'kpi_summary', message, createdAt: doc?.createdAt ?? new Date() },
        policy.reports.summaryRecipients,
      );
      return { id, created, notificationIds: webhook ? notices.notificationIds : [] };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
