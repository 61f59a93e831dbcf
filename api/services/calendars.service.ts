// Calendars as data: read a year, publish a new version (admin), and start the re-plan of every running schedule.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { publishCalendar, readCalendar, seedCalendars } from '../../db/calendar-store';
import type { Models } from '../../db/models';
import { yearCalendarProblems } from '../../domain/calendar';
import type { Policy } from '../../domain/policy';
import type { PublishCalendarBody } from '../../schemas/calendar.schema';
import { CALENDAR_REPLAN_WORKFLOW, calendarReplanWorkflowId } from '../../workflows/calendar-replan.workflow';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';

export interface CalendarDeps {
  client: Client;
  models: Models;
  policy: Policy;
  taskQueue: string;
}

/** Starts the fan-out of one year's version once: a second start (retry, another replica) finds it and does nothing. */
export async function startReplan(client: Client, taskQueue: string, year: number, version: number): Promise<void> {
  try {
    await client.workflow.start(CALENDAR_REPLAN_WORKFLOW, {
      taskQueue,
      workflowId: calendarReplanWorkflowId(year, version),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ year, version }],
      staticSummary: `Re-plan of running schedules for calendar ${year} v${version}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** At start: stores each bundled year that has no calendar yet and re-plans running schedules for it. */
export async function seedAndAnnounce(client: Client, models: Models, taskQueue: string): Promise<number[]> {
  const inserted = await seedCalendars(models);
  for (const year of inserted) await startReplan(client, taskQueue, year, 1);
  return inserted;
}

export function createCalendarService({ client, models, policy, taskQueue }: CalendarDeps) {
  return {
    async get(year: number) {
      const cal = await readCalendar(models, year);
      if (!cal) throw new AppError('NOT_FOUND', `no calendar is published for ${year}`);
      return cal;
    },

    /** Same days: nothing changes (but the fan-out of the current version is made sure of). New days: the next version. */
    async publish(year: number, body: PublishCalendarBody, user: StaffUser) {
      const problems = yearCalendarProblems(year, body, policy.calendar.weekends);
      if (problems.length) {
        throw new AppError(
          'RULE_VIOLATED',
          `the calendar breaks a rule: ${problems.join('; ')}`,
          problems.map((message) => ({ field: 'publicHolidays', rule: 'calendar_consistent', message })),
        );
      }
      const { calendar, created, changed } = await publishCalendar(models, { year, ...body, by: user.sub });
      await startReplan(client, taskQueue, year, calendar.version);
      return { created, body: { ...calendar, changed } };
    },
  };
}
