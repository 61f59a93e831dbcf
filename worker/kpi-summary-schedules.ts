// KPI summary schedules: the Temporal Schedules that produce the daily, weekly, monthly and yearly summaries; created idempotently at worker start.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { durationMs } from '../domain/duration';
import type { Policy } from '../domain/policy';
import { SUMMARY_PERIODS, type SummaryPeriod } from '../domain/report-periods';
import type { KpiSummaryReport } from '../workflows/kpi-summary.workflow';

export function kpiSummaryScheduleId(period: SummaryPeriod): string {
  return `kpi-summary-${period}`;
}

const noteOf = (cron: string, timeZone: string) => `policy run time: ${cron} (${timeZone})`;

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
        // The server keeps a cron only as calendars; the note keeps its text to compare with the next policy's.
        state: { note: noteOf(s.cron, timeZone) },
      });
      created.push(period);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      // A new policy's run time replaces the old one; an unchanged schedule is left alone.
      const handle = client.schedule.getHandle(kpiSummaryScheduleId(period));
      const { state } = await handle.describe();
      if (state.note !== noteOf(s.cron, timeZone))
        await handle.update((prev) => ({
          ...prev,
          spec: { cronExpressions: [s.cron], timezone: timeZone },
          state: { ...prev.state, note: noteOf(s.cron, timeZone) },
        }));
    }
  }
  return created;
}
