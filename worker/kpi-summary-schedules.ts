// KPI summary schedules: the Temporal Schedules that produce the daily, weekly, monthly and yearly summaries; created idempotently at worker start.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { durationMs } from '../domain/duration';
import type { Policy } from '../domain/policy';
import { SUMMARY_PERIODS, type SummaryPeriod } from '../domain/report-periods';
import type { KpiSummaryReport } from '../workflows/kpi-summary.workflow';

export function kpiSummaryScheduleId(period: SummaryPeriod): string {
  return `kpi-summary-${period}`;
}

/** Run times come from the policy (local times in its zone); the monthly one may catch up for 3 days, so it lands by the 4th. */
export async function ensureKpiSummarySchedules(client: Client, taskQueue: string, policy: Policy): Promise<SummaryPeriod[]> {
  const created: SummaryPeriod[] = [];
  const timeZone = policy.calendar.timeZone;
  for (const period of SUMMARY_PERIODS) {
    const s = policy.reports.summaries[period];
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
        policies: { overlap: 'SKIP', catchupWindow: durationMs(s.catchupWindow) },
      });
      created.push(period);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
  return created;
}
