// Fan-out of a published calendar: signals every running schedule, one page of contracts per activity, so each re-plans.
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';

export const CALENDAR_REPLAN_WORKFLOW = 'CalendarReplan';
/** One fan-out per year and version: starting it twice (a retried publish, a second API replica) runs it once. */
export const calendarReplanWorkflowId = (year: number, version: number) => `calendar-replan-${year}-v${version}`;

export interface CalendarReplanInput {
  year: number;
  version: number;
  /** The last contract signalled by an earlier run of this fan-out. */
  after?: string;
  signalled?: number;
}

/** Contracts signalled per activity, and pages per run before it continues as new with its cursor. */
export const REPLAN_PAGE = 100;
const PAGES_PER_RUN = 200;

const acts = wf.proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function CalendarReplan(input: CalendarReplanInput): Promise<{ signalled: number }> {
  let { after } = input;
  let signalled = input.signalled ?? 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const r = await acts.signalSchedulesPage({ year: input.year, version: input.version, after, limit: REPLAN_PAGE });
    signalled += r.signalled;
    if (r.next === undefined) return { signalled };
    after = r.next;
  }
  return wf.continueAsNew<typeof CalendarReplan>({ ...input, after, signalled });
}
