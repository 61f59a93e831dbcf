// The working-day calendar API contract: one year's public holidays and make-up working days, versioned.
import { z } from 'zod';
import { text } from './fields.schema';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });

export const calendarParams = z.object({
  year: z
    .string()
    .regex(/^20\d{2}$/, { message: 'must be a year 2000-2099' })
    .describe('The calendar year, 2000-2099'),
});

export const publishCalendarBody = z
  .object({
    source: text(200).describe('Where the days come from, e.g. the State Council notice'),
    publicHolidays: z.array(z.object({ date: localDate, name: text(100) }).strict()).max(60),
    makeUpWorkingDays: z.array(localDate).max(30).describe('Weekend days that are working days (调休)'),
  })
  .strict()
  .meta({ id: 'CalendarPublication' });
export type PublishCalendarBody = z.infer<typeof publishCalendarBody>;

export const calendarView = z
  .object({
    year: z.number().int(),
    version: z.number().int().describe('1 for the first publication; every change of the days adds one'),
    source: z.string(),
    publicHolidays: z.array(z.object({ date: z.string(), name: z.string() })),
    makeUpWorkingDays: z.array(z.string()),
    publishedBy: z.string(),
    publishedAt: z.string(),
  })
  .meta({ id: 'Calendar' });

export const calendarPublished = calendarView
  .extend({ changed: z.boolean().describe('false when the same days were already published (nothing changed, no re-plan)') })
  .meta({ id: 'CalendarPublished' });
