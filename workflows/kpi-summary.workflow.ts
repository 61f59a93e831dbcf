// Started by a Temporal Schedule: stores the summary of the last complete day, week or month exactly once.
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import { previousWindow, type SummaryPeriod } from '../domain/report-periods';

const { storeKpiSummary } = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export interface KpiSummaryInput {
  period: SummaryPeriod;
  timeZone: string;
}

export async function KpiSummaryReport({ period, timeZone }: KpiSummaryInput): Promise<{ id: string; created: boolean }> {
  const window = previousWindow(period, Date.now(), timeZone);
  return storeKpiSummary({ period, label: window.label, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() });
}
