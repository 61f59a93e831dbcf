// The renovation-contract and callback API contract: one zod schema per request and response gives validation, types and OpenAPI.
import { z } from 'zod';
import { CALLBACK_KINDS, CALLBACK_RESULTS, CALLBACK_STATUSES, CORRECTABLE_MILESTONES, MILESTONE_TYPES, PHASES } from '../domain/schedule.rules';
import { SEVERITIES } from '../domain/roles';
import { CALLBACK_FINDINGS } from '../domain/complaint.rules';
import { branchSchema, contractNoSchema } from './complaint.schema';
import { cancellationView } from './cancellation.schema';
import { caseNoteView, taskView } from './case-file.schema';
import { cursorSchema, instant, MAX_PLANNED_YEARS, notesText, phoneSchema, plannedWithin, text } from './fields.schema';

/** `<contractNo>.<kind>.<key>` as the schedule names its calls (the key is a number, a date or a complaint id). */
export const callbackIdSchema = z
  .string()
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}\.[a-z_]{1,30}\.[A-Za-z0-9-]{1,40}$/, { message: 'must be a callback id like HZ-2026-001.after_signing.1' });

export const contractParams = z.object({ contractNo: contractNoSchema });
export const callbackParams = z.object({ id: callbackIdSchema });

export const createContractBody = z
  .object({
    contractNo: contractNoSchema,
    branch: branchSchema,
    customer: z.object({ name: text(100), phone: phoneSchema }).strict(),
    address: text(300).optional(),
    designer: text(100).optional(),
    siteSupervisor: text(100).optional(),
    foreman: text(100).optional(),
    contractSignedAt: instant,
    plannedCompletionAt: instant,
    warrantyMonths: z.number().int().min(0).max(240).optional().describe('Defaults to the policy’s callbacks.defaultWarrantyMonths'),
  })
  .strict()
  .superRefine((b, ctx) => {
    // A schedule serves live contracts: one signed decades ago (or in the future) is a typing error, not a case.
    const signed = Date.parse(b.contractSignedAt);
    if (signed < Date.now() - 10 * 366 * 86_400_000 || signed > Date.now() + 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['contractSignedAt'],
        message: 'must lie within the last ten years and not in the future',
        params: { rule: 'signed_within_10_years' },
      });
    }
    if (Date.parse(b.plannedCompletionAt) < Date.parse(b.contractSignedAt)) {
      ctx.addIssue({ code: 'custom', path: ['plannedCompletionAt'], message: 'must not be before contractSignedAt', params: { rule: 'not_before_signing' } });
    }
    if (!plannedWithin(b.contractSignedAt, b.plannedCompletionAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedCompletionAt'],
        message: `must lie within ${MAX_PLANNED_YEARS} years of contractSignedAt`,
        params: { rule: 'within_10_years_of_signing' },
      });
    }
  })
  .meta({ id: 'CreateContract' });
export type CreateContractBody = z.infer<typeof createContractBody>;

export const contractCreated = z.object({ contractNo: z.string(), phase: z.enum(PHASES) }).meta({ id: 'ContractCreated' });

export const milestoneBody = z
  .object({
    type: z.enum(MILESTONE_TYPES),
    at: instant,
    plannedCompletionAt: instant.optional().describe('The new planned completion; only (and then required) for completion_date_changed'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.type === 'completion_date_changed' && b.plannedCompletionAt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedCompletionAt'],
        message: 'is required for completion_date_changed',
        params: { rule: 'required_for_completion_date_changed' },
      });
    }
    if (b.type !== 'completion_date_changed' && b.plannedCompletionAt !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedCompletionAt'],
        message: 'is only accepted with completion_date_changed',
        params: { rule: 'only_with_completion_date_changed' },
      });
    }
  })
  .meta({ id: 'Milestone' });
export type MilestoneBody = z.infer<typeof milestoneBody>;

export const contractPhase = z.object({ contractNo: z.string(), phase: z.enum(PHASES) }).meta({ id: 'ContractPhase' });

/** One recorded try of a call: an outcome or a not-reached attempt, with the assistant's notes. */
export const callRecord = z.object({
  at: z.string(),
  by: z.string().optional(),
  type: z.enum(['callback_outcome', 'callback_not_reached']),
  result: z.enum(CALLBACK_RESULTS).optional(),
  attempts: z.number().int().optional(),
  notes: z.string().optional(),
  complaintId: z.string().optional(),
});

export const projectCallback = z.object({
  id: z.string(),
  kind: z.enum(CALLBACK_KINDS),
  dueAt: z.string(),
  status: z.enum(CALLBACK_STATUSES),
  outcome: z.enum(CALLBACK_RESULTS).optional(),
  attempts: z.number().int().optional(),
  calls: z.array(callRecord).optional().describe('Every recorded try of this call, oldest first'),
});

/** A staff change of the schedule: a corrected milestone date, a waived or moved call, a changed customer phone. */
export const adjustmentView = z
  .object({
    type: z.enum(['milestone_corrected', 'callback_waived', 'callback_rescheduled', 'customer_phone_updated']),
    at: z.string(),
    by: z.string().optional(),
    milestone: z.enum(CORRECTABLE_MILESTONES).optional(),
    callbackId: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'ContractAdjustment' });

export const contractView = z
  .object({
    contractNo: z.string(),
    branch: z.string(),
    phase: z.enum(PHASES),
    policyVersion: z.string().optional(),
    warrantyMonths: z.number().int(),
    milestones: z.object({
      contractSignedAt: z.string(),
      plannedCompletionAt: z.string(),
      workStartedAt: z.string().optional(),
      completedAt: z.string().optional(),
      cancelledAt: z.string().optional(),
    }),
    customer: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional().describe('Only for the staff who call the customer'),
    address: z.string().optional(),
    designer: z.string().optional(),
    siteSupervisor: z.string().optional(),
    foreman: z.string().optional(),
    startDate: z.string().optional().describe('When work started (the work_started milestone)'),
    assignee: z.string().optional().describe('The assistant the contract’s calls are given to'),
    callbacks: z.array(projectCallback),
    upcoming: z
      .array(z.object({ id: z.string(), kind: z.enum(CALLBACK_KINDS), dueAt: z.string(), calendarVersion: z.string() }))
      .describe('Calls planned but not yet due, earliest first, with the calendar each was planned with (2027-v2, policy-<version>, weekends-only)'),
    notes: z.array(caseNoteView).optional().describe('Plain notes and logged call attempts'),
    adjustments: z
      .array(adjustmentView)
      .optional()
      .describe('Corrected milestone dates and calls waived or moved at the customer’s request, with their reasons, oldest first'),
    tasks: z.array(taskView).optional(),
    cancellations: z
      .array(cancellationView)
      .optional()
      .describe('Cancellation requests, oldest first: who asked and why, who decided and when; a pending one waits for the approver'),
  })
  .meta({ id: 'Contract' });

export const callbackItem = z
  .object({
    id: z.string(),
    contractNo: z.string(),
    branch: z.string(),
    kind: z.enum(CALLBACK_KINDS),
    dueAt: z.string(),
    status: z.enum(CALLBACK_STATUSES),
    outcome: z.enum(CALLBACK_RESULTS).optional(),
    attempts: z.number().int(),
    complaintId: z.string().optional(),
  })
  .meta({ id: 'Callback' });

export const listCallbacksQuery = z
  .object({
    status: z.enum(CALLBACK_STATUSES).optional(),
    kind: z.enum(CALLBACK_KINDS).optional(),
    branch: branchSchema.optional(),
    dueBefore: instant.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ListCallbacksQuery = z.infer<typeof listCallbacksQuery>;

export const callbackPage = z.object({ items: z.array(callbackItem), nextCursor: z.string().nullable() }).meta({ id: 'CallbackPage' });

export const outcomeBody = z
  .object({
    result: z.enum(CALLBACK_RESULTS),
    notes: notesText(2000),
    problem: z
      .object({ description: text(4000), category: text(100), severity: z.enum(SEVERITIES), finding: z.enum(CALLBACK_FINDINGS).optional() })
      .strict()
      .optional()
      .describe('Required exactly when result is problem: opens a complaint linked to the contract'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.result === 'problem' && !b.problem) {
      ctx.addIssue({ code: 'custom', path: ['problem'], message: 'is required when result is problem', params: { rule: 'required_when_problem' } });
    }
    if (b.result !== 'problem' && b.problem) {
      ctx.addIssue({ code: 'custom', path: ['problem'], message: 'is only accepted when result is problem', params: { rule: 'only_when_problem' } });
    }
  })
  .meta({ id: 'CallbackOutcome' });
export type OutcomeBody = z.infer<typeof outcomeBody>;

export const outcomeRecorded = z.object({ callback: callbackItem, complaintId: z.string().optional() }).meta({ id: 'CallbackOutcomeRecorded' });

const reason = text(2000).describe('Why: kept in the case file (MongoDB), never in the workflow');

export const correctionBody = z
  .object({ milestone: z.enum(CORRECTABLE_MILESTONES), at: instant.describe('The correct date of the milestone'), reason })
  .strict()
  .meta({ id: 'MilestoneCorrection' });
export type CorrectionBody = z.infer<typeof correctionBody>;

export const waiveBody = z.object({ reason }).strict().meta({ id: 'CallbackWaive' });
export type WaiveBody = z.infer<typeof waiveBody>;

export const rescheduleBody = z
  .object({ dueAt: instant.describe('When the customer asked to be called; a weekend or holiday moves to the next working day'), reason })
  .strict()
  .meta({ id: 'CallbackReschedule' });
export type RescheduleBody = z.infer<typeof rescheduleBody>;

export const callbackAdjusted = z
  .object({
    callback: z.object({ id: z.string(), kind: z.enum(CALLBACK_KINDS), dueAt: z.string(), status: z.enum(CALLBACK_STATUSES), attempts: z.number().int() }),
  })
  .meta({ id: 'CallbackAdjusted' });

export const customerPhoneBody = z.object({ phone: phoneSchema }).strict().meta({ id: 'CustomerPhone' });
export type CustomerPhoneBody = z.infer<typeof customerPhoneBody>;
export const customerPhoneUpdated = z.object({ contractNo: z.string(), changed: z.boolean() }).meta({ id: 'CustomerPhoneUpdated' });
