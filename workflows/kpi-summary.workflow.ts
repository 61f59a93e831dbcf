// Started by a Temporal Schedule: stores the summary of the last complete day, week, month or year exactly once and tells its readers.
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import { previousWindow, type SummaryPeriod } from '../domain/report-periods';

const { storeKpiSummary, deliverNotification } = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export interface KpiSummaryInput {
  period: SummaryPeriod;
  timeZone: string;
}

export async function KpiSummaryReport({ period, timeZone }: KpiSummaryInput): Promise<{ id: string; created: boolean }> {
  const window = previousWindow(period, Date.now(), timeZone);
  const stored = await storeKpiSummary({ period, label: window.label, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() });
  // Ids come back only when a webhook is configured; runs started before delivery existed finish as they began.
  if (wf.patched('summary-delivery')) await Promise.all((stored.notificationIds ?? []).map((id) => deliverNotification(id)));
  return { id: stored.id, created: stored.created };
}
