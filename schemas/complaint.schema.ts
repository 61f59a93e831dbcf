// The complaint API contract: one zod schema per request and response gives validation, types and OpenAPI.
import { z } from 'zod';
import { APPROVAL_DECISIONS, PAYERS } from '../domain/authority';
import {
  CALLBACK_FINDINGS,
  COMPLAINT_KINDS,
  COMPLAINT_SOURCES,
  COMPLAINT_STATUSES,
  DIRECTOR_DECISIONS,
  EXTERNAL_DECISIONS,
  isExternalSource,
  REMEDIES,
  STEPS,
} from '../domain/complaint.rules';
import { LEVELS, PRIORITIES, SEVERITIES } from '../domain/roles';
import { attachmentView, caseNoteView, taskView } from './case-file.schema';
import { caseDocumentsView } from './case-documents.schema';
import { cursorSchema, instant, notesText, pastInstant, phoneSchema, text } from './fields.schema';

export const complaintIdSchema = z.string().regex(/^C-[0-9a-f]{16}$/, { message: 'must be a complaint id like C-0123456789abcdef' });
export const contractNoSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/, { message: 'must be 3-40 letters, digits or dashes' });
export const branchSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { message: 'must be a branch code: lowercase letters, digits, - or _' });

export const complaintParams = z.object({ id: complaintIdSchema });

/** Who spoke for the regulator, the consumer association or the media outlet: personal data, kept in MongoDB only. */
export const externalContactSchema = z
  .object({
    name: text(100),
    organization: text(200).describe('Newspaper, TV station, regulator or association'),
    program: text(200).optional().describe('The column or programme a journalist works for'),
    phone: phoneSchema.optional(),
    // A plain pattern, not z.email(): the OpenAPI document then states exactly what the server accepts.
    email: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, { message: 'must be an email address such as desk@example.com' })
      .optional(),
  })
  .strict();

export const createComplaintBody = z
  .object({
    kind: z.enum(COMPLAINT_KINDS),
    source: z.enum(COMPLAINT_SOURCES),
    contractNo: contractNoSchema.optional(),
    branch: branchSchema.optional(),
    complainant: z
      .object({
        name: text(100).optional(),
        phone: phoneSchema.optional(),
        anonymous: z.boolean().default(false),
      })
      .strict(),
    accused: z
      .object({ name: text(100), role: text(100) })
      .strict()
      .optional(),
    occurredAt: pastInstant(10).optional(),
    location: text(300).optional(),
    category: text(100),
    description: text(4000),
    severity: z.enum(SEVERITIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    externalContact: externalContactSchema.optional().describe('The journalist, regulator or association officer (MongoDB only; shown to handlers)'),
    finding: z
      .enum(CALLBACK_FINDINGS)
      .optional()
      .describe('Found on a callback: private_job goes to the director and legal at once, second_hand_site to engineering'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.externalContact && !isExternalSource(b.source)) {
      ctx.addIssue({
        code: 'custom',
        path: ['externalContact'],
        message: 'only with source regulator, consumer_association or media',
        params: { rule: 'external_source_only' },
      });
    }
    if (b.finding && b.source !== 'callback') {
      ctx.addIssue({ code: 'custom', path: ['finding'], message: 'only with source callback', params: { rule: 'callback_source_only' } });
    }
    if (b.complainant.anonymous) return;
    for (const f of ['name', 'phone'] as const) {
      if (!b.complainant[f]) {
        ctx.addIssue({
          code: 'custom',
          path: ['complainant', f],
          message: 'is required unless the complaint is anonymous',
          params: { rule: 'required_unless_anonymous' },
        });
      }
    }
  })
  .meta({ id: 'CreateComplaint' });
export type CreateComplaintBody = z.infer<typeof createComplaintBody>;

export const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(200).optional().describe('A repeat with the same key returns the first result'),
});

export const complaintCreated = z
  .object({ id: z.string(), status: z.enum(COMPLAINT_STATUSES), level: z.enum(LEVELS), round: z.number().int() })
  .meta({ id: 'ComplaintCreated' });

export const deadlineSchema = z.object({
  step: z.enum(STEPS),
  startedAt: z.string(),
  dueAt: z.string(),
  remainingMs: z.number().optional(),
});

export const historyEntrySchema = z.object({
  at: z.string(),
  type: z.string(),
  level: z.string().optional(),
  by: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

export const complaintView = z
  .object({
    id: z.string(),
    kind: z.enum(COMPLAINT_KINDS),
    source: z.enum(COMPLAINT_SOURCES),
    status: z.enum(COMPLAINT_STATUSES),
    step: z.enum(STEPS).optional(),
    severity: z.enum(SEVERITIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    level: z.enum(LEVELS),
    round: z.number().int(),
    branch: z.string().optional(),
    contractNo: z.string().optional(),
    category: z.string().optional(),
    overdue: z.boolean(),
    createdAt: z.string(),
    deadlines: z.array(deadlineSchema),
    answer: z
      .object({ dueAt: z.string(), answeredAt: z.string().optional(), onTime: z.boolean().optional(), missed: z.boolean() })
      .optional()
      .describe('The answer promised to the customer at intake (policy customerAnswer): a follow-up that reaches them, due by dueAt'),
    complainant: z.object({ name: z.string().optional(), phone: z.string().optional(), anonymous: z.boolean() }).optional(),
    description: z.string().optional().describe('What the customer complained about, as taken at intake'),
    location: z.string().optional(),
    occurredAt: z.string().optional(),
    accused: z.object({ name: z.string().optional(), role: z.string().optional() }).optional(),
    externalContact: z
      .object({ name: z.string(), organization: z.string(), program: z.string().optional(), phone: z.string().optional(), email: z.string().optional() })
      .optional()
      .describe('Regulator/media cases: who spoke for them; shown to supervisor, director, legal and the executives only'),
    assignee: z.string().optional().describe('The assistant the case is given to'),
    remedies: z.array(z.record(z.string(), z.unknown())),
    approvals: z.array(z.record(z.string(), z.unknown())).describe('Every signature: who decided, when, the reason, who asked and when'),
    approvalRequests: z.array(z.record(z.string(), z.unknown())).optional().describe('Decisions asked and not yet decided: who asked, when, who it waits for'),
    attachments: z.array(attachmentView).optional().describe('Metadata of the files attached to the case'),
    documents: caseDocumentsView.optional().describe('File reviews, letters (with legal’s decision), site inspections and apologies'),
    history: z.array(historyEntrySchema),
    notes: z.array(caseNoteView).describe('Plain notes and logged call attempts'),
    tasks: z.array(taskView).describe('Survey and post-repair tasks the case left'),
  })
  .meta({ id: 'Complaint' });

export const complaintSummary = complaintView
  .omit({
    history: true,
    approvalRequests: true,
    attachments: true,
    documents: true,
    complainant: true,
    description: true,
    location: true,
    occurredAt: true,
    accused: true,
    externalContact: true,
    assignee: true,
    notes: true,
    tasks: true,
  })
  .meta({ id: 'ComplaintSummary' });

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
/** One value or several, comma-separated (status=open,paused). */
const listOf = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), { message: `must be one or more of ${values.join(', ')}, comma-separated` })
    .transform((v) => [...new Set(v.split(','))] as T[]);

export const listComplaintsQuery = z
  .object({
    status: listOf(COMPLAINT_STATUSES).optional(),
    level: z.enum(LEVELS).optional(),
    branch: branchSchema.optional(),
    overdue: boolQuery.optional(),
    contract: contractNoSchema.optional().describe('Complaints linked to this contract'),
    kind: z.enum(COMPLAINT_KINDS).optional(),
    step: z.enum(STEPS).optional(),
    owner: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/)
      .optional()
      .describe('The assistant the case is assigned to (staff id), or me'),
    openedFrom: instant.optional().describe('Opened at or after'),
    openedTo: instant.optional().describe('Opened before'),
    sort: z.enum(['opened', 'due']).default('opened').describe('opened: newest first; due: earliest running deadline first (only cases with one)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorSchema.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.openedFrom && q.openedTo && Date.parse(q.openedTo) <= Date.parse(q.openedFrom)) {
      ctx.addIssue({ code: 'custom', path: ['openedTo'], message: 'must be after openedFrom', params: { rule: 'after_opened_from' } });
    }
  });
export type ListComplaintsQuery = z.infer<typeof listComplaintsQuery>;

export const complaintPage = z.object({ items: z.array(complaintSummary), nextCursor: z.string().nullable() }).meta({ id: 'ComplaintPage' });

const notes = notesText(2000);
export const noteBody = z.object({ notes }).strict();
export const triageBody = z
  .object({
    severity: z.enum(SEVERITIES),
    priority: z.enum(PRIORITIES),
    valid: z.boolean().describe('Triage decides: only a complaint confirmed valid earns the fixed allowance'),
    branch: branchSchema.optional(),
    notes,
  })
  .strict();
export const feedbackBody = z
  .object({
    cause: text(2000),
    action: text(2000),
    responsible: text(200),
    repairCompletedAt: pastInstant(1).optional(),
  })
  .strict();
export const FOLLOW_UP_OUTCOMES = ['satisfied', 'unsatisfied', 'not_reached', 'in_progress'] as const;
export const followUpBody = z
  .object({
    customerSatisfied: z.boolean().optional().describe('The older form: true is outcome satisfied, false unsatisfied'),
    outcome: z
      .enum(FOLLOW_UP_OUTCOMES)
      .optional()
      .describe('not_reached and in_progress (customer informed) neither resolve nor escalate: the round’s deadline keeps running'),
    notes,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.customerSatisfied === undefined && b.outcome === undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'outcome (or customerSatisfied) is required', params: { rule: 'outcome_required' } });
    }
    const agrees = b.outcome === undefined || b.customerSatisfied === undefined || b.customerSatisfied === (b.outcome === 'satisfied');
    if (!agrees) {
      ctx.addIssue({ code: 'custom', path: ['customerSatisfied'], message: 'contradicts outcome', params: { rule: 'agrees_with_outcome' } });
    }
  })
  .meta({ example: { outcome: 'not_reached', notes: 'No answer; try again tomorrow' } });
export const surveyBody = z.object({ satisfied: z.boolean(), score: z.number().int().min(1).max(5).optional(), notes }).strict();
export const compensationBody = z
  .object({
    type: z.enum(REMEDIES),
    defect: text(200).optional(),
    amount: z.number().positive().max(10_000_000).optional(),
    payer: z
      .enum(PAYERS)
      .optional()
      .describe(
        'Who pays a compensation: crew (claim_crew_pays, the regional president approves) or company (claim_company_pays, the VP). Required above the fixed allowance',
      ),
    notes,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.payer && b.type !== 'compensation') {
      ctx.addIssue({ code: 'custom', path: ['payer'], message: 'is given only for a compensation', params: { rule: 'only_for_compensation' } });
    }
    if (b.type !== 'allowance' && !b.defect) {
      ctx.addIssue({ code: 'custom', path: ['defect'], message: `is required for a ${b.type}`, params: { rule: 'required_unless_allowance' } });
    }
    if ((b.type === 'refund' || b.type === 'compensation') && b.amount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `is required for a ${b.type}`, params: { rule: 'required_for_refund_or_compensation' } });
    }
  })
  .meta({
    example: { type: 'compensation', defect: 'Cracked floor tiles in the kitchen', amount: 1800, payer: 'crew', notes: 'Crew laid them on a wet screed' },
  });
export const approvalBody = z
  .object({
    decision: z.enum(APPROVAL_DECISIONS),
    approved: z.boolean(),
    reason: text(2000).optional().describe('Why; required to refuse. Kept in MongoDB, never sent to the workflow'),
    notes,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.approved && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to refuse', params: { rule: 'required_to_refuse' } });
  })
  .meta({ example: { decision: 'refund_deposit_measured', approved: false, reason: 'The deposit was spent on ordered materials' } });
export const approvalRequestBody = z.object({ decision: z.enum(APPROVAL_DECISIONS), notes }).strict();
export const externalDecisionBody = z
  .object({ decision: z.enum(EXTERNAL_DECISIONS).describe('keep: the center handles it; legal: legal takes it now'), notes })
  .strict();
export const externalFlagBody = z.object({ source: z.enum(['regulator', 'consumer_association', 'media']), contact: externalContactSchema, notes }).strict();
export const directorDecisionBody = z
  .object({ decision: z.enum(DIRECTOR_DECISIONS).describe('rehandle: the department handles it again; upheld/dismissed: the ladder ends'), notes })
  .strict();
