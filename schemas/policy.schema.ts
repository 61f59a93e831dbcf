// Validation of the policy document; the shape itself is declared in domain/policy.ts.
import { z } from 'zod';
import { durationMs, isFixedDuration, isIsoDuration } from '../domain/duration';
import { APPROVAL_DECISIONS, DEFAULT_AUTHORITY } from '../domain/authority';
import { WORKING_CLOCKS, type Policy } from '../domain/policy';
import { LEVELS, PRIORITIES, ROLES, SEVERITIES } from '../domain/roles';

// Durations stay ISO-8601 strings in the document so a company (or a demo with PT5S) edits them directly.
const duration = z.string().refine(isIsoDuration, { message: 'must be an ISO-8601 duration such as P5D, PT24H or PT3M' });
const fixedDuration = z.string().refine(isFixedDuration, { message: 'must be an ISO-8601 duration of fixed length (weeks, days, hours, minutes, seconds)' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });
const fraction = z.number().gt(0).lt(1);
const percent = z.number().min(0).max(100);

export const calendarSchema = z.object({
  timeZone: z.string().refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Asia/Shanghai' },
  ),
  weekends: z.array(z.number().int().min(0).max(6)).max(6),
  publicHolidays: z.array(z.object({ date: isoDate, name: z.string().min(1) })),
  makeUpWorkingDays: z.array(isoDate),
  shiftToWorkingDay: z.boolean(),
});

export const complaintPolicySchema = z
  .object({
    firstCallback: fixedDuration,
    repairAnswer: fixedDuration,
    triage: fixedDuration,
    branchFeedback: fixedDuration,
    externalToLegal: fixedDuration,
    priorityDeadlines: z.object({ high: fixedDuration, medium: fixedDuration, low: fixedDuration }),
    defaultSeverity: z.enum(SEVERITIES),
    defaultPriority: z.enum(PRIORITIES),
    warningFractions: z.array(fraction).max(5),
    severityLevel: z.object({ general: z.enum(LEVELS), serious: z.enum(LEVELS), major: z.enum(LEVELS) }),
    rounds: z
      .array(
        z.object({ round: z.number().int().min(1), level: z.enum(LEVELS), penalty: z.enum(['reported_for_penalty', 'warning', 'penalty_ordered']).optional() }),
      )
      .min(1)
      .refine((rs) => rs.every((r, i) => r.round === i + 1), { message: 'rounds must be numbered 1, 2, 3 ... in order' }),
    roundDeadlines: z.partialRecord(z.enum(SEVERITIES), z.array(fixedDuration).min(1)).optional(),
    urgeNotices: z.boolean().optional(),
    earlyFeedbackCounts: z.boolean().optional(),
    pauseReminder: fixedDuration.optional(),
    pauseLimit: fixedDuration.optional(),
    surveyWithin: fixedDuration.optional(),
    externalDecisionBy: z.array(z.enum(ROLES)).min(1).optional(),
    directorDecision: fixedDuration.optional(),
    customerAnswer: fixedDuration.optional(),
    externalWarningBefore: fixedDuration.optional(),
    repeatWindow: fixedDuration,
    reopenWindow: fixedDuration,
    surveyAfterClose: fixedDuration,
    postRepairCallback: fixedDuration,
    validComplaintAllowance: z.number().nonnegative(),
    currency: z.string().length(3),
  })
  // A warning as long as the whole decision clock would fire at (or before) the case opens.
  .refine((c) => !c.externalWarningBefore || durationMs(c.externalWarningBefore) < durationMs(c.externalToLegal), {
    message: 'must be shorter than externalToLegal',
    path: ['externalWarningBefore'],
  });

export const callbackPolicySchema = z.object({
  afterSigning: duration,
  afterWorkStart: z.array(duration).min(1),
  constructionInterval: duration,
  afterCompletion: duration,
  warrantyInterval: duration,
  defaultWarrantyMonths: z.number().int().min(0).max(240),
  notReachedRetry: fixedDuration,
  notReachedAttempts: z.number().int().min(1).max(20),
  reminderAfter: fixedDuration,
  overdueAfter: fixedDuration,
  /** A milestone recorded late creates every past-due call of a kind up to this many; beyond it, only the latest. */
  maxLateCallsPerKind: z.number().int().min(1).max(100).default(3),
  /** A holiday greeting a late milestone reveals this long after it was due missed its holiday and is not made. */
  greetingSkippedAfter: fixedDuration.default('P1D'),
  /** Clocks that count working days only; a policy without the list keeps calendar time. */
  workingTimeClocks: z.array(z.enum(WORKING_CLOCKS)).max(WORKING_CLOCKS.length).optional(),
  /** The warranty's default length (P2Y, P24M; seconds in a shortened policy); a contract's own warrantyMonths overrides it. */
  warrantyLength: duration.optional(),
});

export const kpiTargetSchema = z.object({ op: z.enum(['<', '<=', '>', '>=', '=']), value: percent });

const cron = z.string().regex(/^\S+( \S+){4}$/, 'a five-field cron expression (minute hour day month weekday), in the calendar time zone');
const summarySchedule = z.object({ cron, catchupWindow: fixedDuration });

// Defaults are the center's rules ([004] §15 daily/weekly/monthly, [001] monthly by the 4th, [000] 24 h cycle).
export const reportPolicySchema = z.object({
  handlingCycle: fixedDuration.default('PT24H'),
  summaries: z.object({ daily: summarySchedule, weekly: summarySchedule, monthly: summarySchedule, yearly: summarySchedule }).default({
    daily: { cron: '30 1 * * *', catchupWindow: 'P1D' },
    weekly: { cron: '0 2 * * MON', catchupWindow: 'P2D' },
    monthly: { cron: '0 3 1 * *', catchupWindow: 'P3D' },
    yearly: { cron: '0 4 1 1 *', catchupWindow: 'P3D' },
  }),
  summaryRecipients: z.array(z.enum(ROLES)).min(1).default(['supervisor', 'director', 'vp', 'regional_president']),
});

const signers = z.array(z.array(z.enum(ROLES)).min(1)).min(1);
const decision = z.enum(APPROVAL_DECISIONS);
export const authoritySchema = z.object({
  approvers: z.object(Object.fromEntries(APPROVAL_DECISIONS.map((d) => [d, signers])) as Record<(typeof APPROVAL_DECISIONS)[number], typeof signers>),
  remedyApprovals: z.object({ refund: z.array(decision).min(1), compensation: z.array(decision).min(1) }),
});

export const approvalPolicySchema = z.object({
  remindAfter: fixedDuration,
  escalateAfter: fixedDuration,
  escalateTo: z.object(
    Object.fromEntries(APPROVAL_DECISIONS.map((d) => [d, z.array(z.enum(ROLES)).min(1)])) as Record<
      (typeof APPROVAL_DECISIONS)[number],
      z.ZodArray<z.ZodEnum<{ [K in (typeof ROLES)[number]]: K }>>
    >,
  ),
});
// A reminder not before the escalation is skipped: the escalation itself tells the approvers.

export const caseDocumentsPolicySchema = z.object({
  reviewBeforeClose: z.array(z.enum(SEVERITIES)),
  serviceApology: z.object({
    giftAllowance: z.number().min(0),
    approvers: z.array(z.enum(ROLES)).min(1),
    aboveAllowance: z.array(z.enum(ROLES)).min(1),
  }),
});

export const policySchema = z.object({
  version: z.string().min(1),
  complaint: complaintPolicySchema,
  callbacks: callbackPolicySchema,
  calendar: calendarSchema,
  kpiTargets: z.record(z.string(), kpiTargetSchema),
  reports: reportPolicySchema.default(reportPolicySchema.parse({})),
  // A policy written before the matrix was data gets the company default.
  authority: authoritySchema.default(structuredClone(DEFAULT_AUTHORITY)),
  approvals: approvalPolicySchema.optional(),
  caseDocuments: caseDocumentsPolicySchema.optional(),
});

// Compile-time link: a schema that drifts from the domain's Policy type fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesDomain: Same<z.infer<typeof policySchema>, Policy> = true;
void schemaMatchesDomain;

export type { CalendarPolicy, ComplaintPolicy, Policy } from '../domain/policy';
