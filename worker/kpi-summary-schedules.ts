// KPI summary schedules: the Temporal Schedules that produce the daily, weekly and monthly KPI summaries; created idempotently at worker start.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { SummaryPeriod } from '../domain/report-periods';
import type { KpiSummaryReport } from '../workflows/kpi-summary.workflow';

/** Local times in the policy's zone; the monthly one runs on the 1st and may catch up for 3 days, so it lands by the 4th. */
export const KPI_SUMMARY_SCHEDULES: Record<SummaryPeriod, { cron: string; catchupWindow: string }> = {
  daily: { cron: '30 1 * * *', catchupWindow: '1 day' },
  weekly: { cron: '0 2 * * MON', catchupWindow: '2 days' },
  monthly: { cron: '0 3 1 * *', catchupWindow: '3 days' },
};

export function kpiSummaryScheduleId(period: SummaryPeriod): string {
  return `kpi-summary-${period}`;
}

export async function ensureKpiSummarySchedules(client: Client, taskQueue: string, timeZone: string): Promise<string[]> {
  const created: string[] = [];
  for (const [period, s] of Object.entries(KPI_SUMMARY_SCHEDULES) as [SummaryPeriod, (typeof KPI_SUMMARY_SCHEDULES)[SummaryPeriod]][]) {
    try {
      await client.schedule.create({
        scheduleId: kpiSummaryScheduleId(period),
        spec: { cronExpressions: [s.cron], timezone: timeZone },
        action: {
          type: 'startWorkflow',
          workflowType: 'KpiSummaryReport' satisfies (typeof KpiSummaryReport)['name'],
          workflowId: `kpi-summary-${period}-run`,
          args: [{ period, timeZone }],
          taskQueue,
          staticSummary: `KPI summary (${period})`,
        },
        policies: { overlap: 'SKIP', catchupWindow: s.catchupWindow },
      });
      created.push(period);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
  return created;
}
