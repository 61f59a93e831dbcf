// Field rules every request shares: readable text, phone numbers and instants inside the business's own time range.
import { z } from 'zod';

// No NUL or other control characters (tab and newline allowed), no bidi overrides that make stored text lie about its order;
// a pattern, not a refinement, so the OpenAPI document states the rule too.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point of this rule
const SAFE_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]*$/;
const SAFE_TEXT_RULE = { message: 'must not contain control or bidi-override characters' };
const YEAR_MS = 365.25 * 86_400_000;
/** Staff clocks drift; an instant this far ahead of the server still counts as "now". */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Trimmed, non-blank, at most `max` characters, no control or bidi-override characters. */
export const text = (max: number) =>
  z
    .string()
    .min(1)
    .trim()
    .max(max)
    .regex(SAFE_TEXT, SAFE_TEXT_RULE)
    // A rule, not a length: "   " has the documented shape, so refusing it is a 422 naming the rule.
    .refine((s) => s.length > 0, { message: 'must not be empty or only whitespace', params: { rule: 'not_blank' } });

/** An opaque page cursor as the API hands it out (base64url); a well-formed one the API never issued answers 422. */
export const cursorSchema = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a nextCursor from a previous page' })
  .describe('Opaque: pass nextCursor from the previous page unchanged (one this API did not issue answers 422 RULE_VIOLATED)');

/** Optional free text: the same rule, and blank is allowed (it means "no notes"). */
export const notesText = (max: number) => z.string().trim().max(max).regex(SAFE_TEXT, SAFE_TEXT_RULE).optional();

export const phoneSchema = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'must be a phone number of 5-20 digits' });

/** An ISO-8601 instant with offset, in the years 2000-2099: a two-digit or far-future year is a typing error. */
export const instant = z.iso
  .datetime({ offset: true })
  .refine(
    (s) => {
      const year = new Date(s).getUTCFullYear();
      return year >= 2000 && year <= 2099;
    },
    { message: 'must be in the years 2000-2099', params: { rule: 'year_2000_2099' } },
  )
  .describe('ISO-8601 date-time with offset, years 2000-2099');

/** An instant that has already happened, at most `maxAgeYears` ago (a few minutes of clock skew allowed). */
export const pastInstant = (maxAgeYears: number) =>
  instant
    .refine((s) => Date.parse(s) <= Date.now() + CLOCK_SKEW_MS, { message: 'must not be in the future', params: { rule: 'not_in_future' } })
    .refine((s) => Date.parse(s) >= Date.now() - maxAgeYears * YEAR_MS, {
      message: `must lie within the last ${maxAgeYears} years`,
      params: { rule: `within_${maxAgeYears}_years` },
    })
    .describe(`ISO-8601 date-time with offset; not in the future, at most ${maxAgeYears} years ago`);

/** The longest a renovation may be planned to run after signing. */
export const MAX_PLANNED_YEARS = 10;
export const plannedWithin = (from: string, to: string) => Date.parse(to) <= Date.parse(from) + MAX_PLANNED_YEARS * YEAR_MS;
