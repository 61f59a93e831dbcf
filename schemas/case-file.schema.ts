// What a case file holds besides its workflow's projection: notes and call attempts, tasks, the assignee.
import { z } from 'zod';
import { notesText, text } from './fields.schema';

export const NOTE_TYPES = ['note', 'call_attempt'] as const;

export const caseNoteBody = z
  .object({
    type: z.enum(NOTE_TYPES),
    text: notesText(2000),
    reached: z.boolean().optional().describe('Required for a call_attempt: whether the customer answered'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.type === 'call_attempt' && b.reached === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reached'], message: 'is required for a call_attempt', params: { rule: 'required_for_call_attempt' } });
    }
    if (b.type === 'note' && !b.text) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for a note', params: { rule: 'required_for_note' } });
    }
    if (b.type === 'note' && b.reached !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reached'], message: 'is only accepted for a call_attempt', params: { rule: 'only_for_call_attempt' } });
    }
  })
  .meta({ id: 'CaseNoteInput', example: { type: 'call_attempt', reached: false, text: 'No answer, will try after lunch' } });

export const caseNoteView = z
  .object({
    id: z.string(),
    type: z.enum(NOTE_TYPES),
    text: z.string().optional(),
    reached: z.boolean().optional(),
    by: z.string(),
    at: z.string(),
  })
  .meta({ id: 'CaseNote' });

export const taskView = z
  .object({
    id: z.string(),
    type: z.string(),
    complaintId: z.string().optional(),
    contractNo: z.string().optional(),
    assigneeRole: z.string(),
    dueAt: z.string(),
    status: z.enum(['due', 'done']),
  })
  .meta({ id: 'Task' });

/** Metadata of a file attached to a case: the file itself is stored elsewhere (a document store), never here. */
export const attachmentBody = z
  .object({
    name: text(200).refine((n) => !/[/\\]/.test(n), { message: 'must be a file name without path separators', params: { rule: 'file_name' } }),
    type: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/i, { message: 'must be a media type such as image/jpeg or audio/mpeg' })
      .max(100),
    size: z.number().int().min(1).max(2_000_000_000).describe('Bytes'),
  })
  .strict()
  .meta({ id: 'AttachmentInput', example: { name: 'kitchen-tiles.jpg', type: 'image/jpeg', size: 482113 } });

export const attachmentView = z
  .object({
    id: z.string(),
    name: z.string().optional().describe('Shown only to those who may see the complainant: a file name can carry personal data'),
    type: z.string(),
    size: z.number().int(),
    by: z.string(),
    at: z.string(),
  })
  .meta({ id: 'Attachment' });

export const attachmentList = z.object({ items: z.array(attachmentView) }).meta({ id: 'AttachmentList' });
