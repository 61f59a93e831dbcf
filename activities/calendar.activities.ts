// Calendars for running schedules: read one year, tell admin once that a year is missing, signal schedules page by page.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { readCalendar } from '../db/calendar-store';
import type { Models } from '../db/models';
import { CALENDAR_PUBLISHED_SIGNAL, type YearCalendar } from '../domain/calendar';
import { createNotice } from './notification.activities';

/** One admin notice per missing year, whichever schedule finds it first; its id is the business key. */
export function calendarMissingNoticeId(year: number): string {
  return `calendar:${year}:missing:admin`;
}

export function calendarActivities(models: Models, postsToWebhook: boolean) {
  return {
    /** The published calendar of a year, or null when none is stored (the schedule then plans on weekends only). */
    async loadCalendarYear({ year }: { year: number }): Promise<YearCalendar | null> {
      const c = await readCalendar(models, year);
      return c ? { year: c.year, version: c.version, publicHolidays: c.publicHolidays, makeUpWorkingDays: c.makeUpWorkingDays } : null;
    },

    /** Tells admin that a year has no calendar; a retry or a second schedule finds the notice written and adds none. */
    async notifyCalendarMissing({ year, at }: { year: number; at: string }): Promise<{ created: boolean; notificationIds: string[] }> {
      const id = calendarMissingNoticeId(year);
      const created = await createNotice(models, id, {
        caseId: `calendar-${year}`,
        caseType: 'calendar',
        type: 'calendar_missing',
        recipientRole: 'admin',
        message: `no working-day calendar is published for ${year}; schedules plan that year on weekends only until it is`,
        createdAt: new Date(at),
      });
      return { created, notificationIds: postsToWebhook ? [id] : [] };
    },

    /**
     * Signals one page of running schedules (contracts not closed or cancelled, in id order) that a year's calendar
     * changed; a finished schedule is skipped, and a repeated signal is ignored by the schedule, so retries are harmless.
     */
    async signalSchedulesPage({ year, version, after, limit }: { year: number; version: number; after?: string; limit: number }) {
      const filter: Record<string, unknown> = { phase: { $nin: ['closed', 'cancelled'] } };
      if (after !== undefined) filter._id = { $gt: after };
      const page = await models.Contract.find(filter, { _id: 1, workflowId: 1 }).sort({ _id: 1 }).limit(limit).lean();
      const client = Context.current().client;
      let signalled = 0;
      for (const c of page) {
        try {
          await client.workflow.getHandle(c.workflowId).signal(CALENDAR_PUBLISHED_SIGNAL, { year, version });
          signalled++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
        Context.current().heartbeat(c._id);
      }
      return { signalled, next: page.length === limit ? page[page.length - 1]!._id : undefined };
    },
  };
}
