// The worklist, assignment, notes and task contracts: one zod schema per request and response.
import { z } from 'zod';
import { CALLBACK_KINDS } from '../domain/schedule.rules';
import { COMPLAINT_KINDS } from '../domain/complaint.rules';
import { ROLES } from '../domain/roles';
import { WORK_KINDS } from '../domain/worklist.rules';
import { branchSchema } from './complaint.schema';
import { cursorSchema, notesText } from './fields.schema';
import type { caseNoteBody } from './case-file.schema';

export { caseNoteBody, caseNoteView, taskView } from './case-file.schema';

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listWorklistQuery = z
  .object({
    kind: z.enum(WORK_KINDS).optional(),
    branch: branchSchema.optional(),
    assignee: z
      .enum(['me', 'unassigned', 'all'])
      .optional()
      .describe('me: assigned to the caller; unassigned; all: anyone’s. Absent: an assistant’s own items and the unassigned ones; for other roles, all'),
    overdue: boolQuery.optional().describe('true: due time passed; false: not yet due'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorSchema.optional(),
  })
  .strict();
export type ListWorklistQuery = z.infer<typeof listWorklistQuery>;

export const workItem = z
  .object({
    id: z.string(),
    kind: z.enum(WORK_KINDS),
    caseType: z.enum(['complaint', 'contract']),
    caseId: z.string().describe('Complaint id or contract number'),
    complaintKind: z.enum(COMPLAINT_KINDS).optional(),
    callbackId: z.string().optional(),
    callbackKind: z.enum(CALLBACK_KINDS).optional(),
    contractNo: z.string().optional(),
    branch: z.string().optional(),
    roles: z.array(z.enum(ROLES)).describe('Roles that act on the item'),
    assignee: z.string().optional(),
    dueAt: z.string(),
    overdue: z.boolean(),
    lateMs: z.number().int().min(0).describe('How late the item is now (0 before it is due)'),
    customer: z
      .object({ name: z.string().optional(), phone: z.string().optional() })
      .optional()
      .describe('Only for roles that call the customer (and, for staff and crew complaints, only for their handlers)'),
    action: z.string().describe('The request that settles the item'),
  })
  .meta({
    id: 'WorkItem',
    example: {
      id: 'callback:HZ-2026-001.after_signing.1',
      kind: 'callback',
      caseType: 'contract',
      caseId: 'HZ-2026-001',
      callbackId: 'HZ-2026-001.after_signing.1',
      callbackKind: 'after_signing',
      contractNo: 'HZ-2026-001',
      branch: 'north',
      roles: ['assistant'],
      dueAt: '2026-11-25T01:00:00.000Z',
      overdue: true,
      lateMs: 3600000,
      customer: { name: 'Wang Fang', phone: '13800001111' },
      action: 'POST /v1/callbacks/HZ-2026-001.after_signing.1/outcome',
    },
  });

export const worklistPage = z.object({ items: z.array(workItem), nextCursor: z.string().nullable() }).meta({ id: 'WorklistPage' });

/** A staff id as tokens carry it in `sub`. */
export const staffIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, { message: 'must be a staff id (the sub of their token)' });

export const assignmentBody = z
  .object({ assignee: staffIdSchema.describe('The assistant the case or call is given to') })
  .strict()
  .meta({ id: 'Assignment', example: { assignee: 'assistant-zhang' } });

export const assignmentView = z
  .object({
    target: z.string().describe('complaint:<id>, contract:<contractNo> or callback:<id>'),
    assignee: z.string(),
    assignedBy: z.string(),
    at: z.string(),
    items: z.number().int().describe('Open worklist items now assigned'),
  })
  .meta({ id: 'AssignmentRecorded' });

export const taskParams = z.object({
  id: z.string().regex(/^C-[0-9a-f]{16}:[a-z_]{1,30}(:[0-9]{1,4})?$/, { message: 'must be a task id like C-0123456789abcdef:post_repair' }),
});
export const taskDoneBody = z.object({ notes: notesText(2000) }).strict();

export type CaseNoteBody = z.infer<typeof caseNoteBody>;
