// What a case file holds besides its workflow's projection: notes and call attempts, tasks, the assignee.
import { z } from 'zod';
import { notesText, pastInstant, text } from './fields.schema';

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

export const ATTACHMENT_KINDS = ['file', 'call_recording'] as const;

/** A call recording's metadata ([003] ch.5 §4 录音): when, how long, who called whom, and which call it records. */
export const recordingSchema = z
  .object({
    callAt: pastInstant(10),
    durationSeconds: z.number().int().min(1).max(86_400),
    direction: z.enum(['inbound', 'outbound']).describe('inbound: the customer called the center; outbound: staff called the customer'),
    staff: z.string().min(1).max(100).optional().describe('The staff id who took or made the call; the recorder when omitted'),
    // Same shape as schemas/contract.schema.ts callbackIdSchema (not imported: that module imports this one's importers).
    callbackId: z
      .string()
      .max(120)
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,39}\.[a-z_]{1,30}\.[A-Za-z0-9-]{1,40}$/, { message: 'must be a callback id like HZ-2026-001.after_signing.1' })
      .optional()
      .describe('The scheduled call this recording is of (required on a contract)'),
  })
  .strict();

/** Metadata of a file attached to a case: the file itself is stored elsewhere (a document store), never here. */
export const attachmentBody = z
  .object({
    name: text(200).refine((n) => !/[/\\]/.test(n), { message: 'must be a file name without path separators', params: { rule: 'file_name' } }),
    type: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.+-]*\/[A-Za-z0-9][A-Za-z0-9.+-]*$/, { message: 'must be a media type such as image/jpeg or audio/mpeg' })
      .max(100),
    size: z.number().int().min(1).max(2_000_000_000).describe('Bytes'),
    kind: z.enum(ATTACHMENT_KINDS).optional().describe('A plain file (the default) or a call recording with its metadata'),
    recording: recordingSchema.optional().describe('Required for a call_recording, refused otherwise'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const recording = b.kind === 'call_recording';
    const issue = (path: string, message: string, rule: string) => ctx.addIssue({ code: 'custom', path: [path], message, params: { rule } });
    if (recording && !b.recording) issue('recording', 'is required for a call_recording', 'required_for_recording');
    if (!recording && b.recording) issue('recording', 'is only accepted for a call_recording', 'only_for_recording');
    if (recording && !b.type.toLowerCase().startsWith('audio/')) issue('type', 'must be an audio media type for a call_recording', 'recording_media_type');
  })
  .meta({ id: 'AttachmentInput', example: { name: 'kitchen-tiles.jpg', type: 'image/jpeg', size: 482113 } });

export const attachmentView = z
  .object({
    id: z.string(),
    name: z.string().optional().describe('Shown only to those who may see the complainant: a file name can carry personal data'),
    type: z.string(),
    size: z.number().int(),
    kind: z.enum(ATTACHMENT_KINDS),
    recording: z
      .object({ callAt: z.string(), durationSeconds: z.number().int(), direction: z.string(), staff: z.string(), callbackId: z.string().optional() })
      .optional(),
    by: z.string(),
    at: z.string(),
  })
  .meta({ id: 'Attachment' });

/** A call recording on a contract: always linked to one of its scheduled calls. */
export const contractRecordingBody = attachmentBody
  .refine((b) => b.kind === 'call_recording' && Boolean(b.recording?.callbackId), {
    message: 'a contract takes call recordings of one of its calls: kind call_recording and recording.callbackId',
    path: ['recording', 'callbackId'],
    params: { rule: 'required_on_contract' },
  })
  .meta({
    id: 'ContractRecordingInput',
    example: {
      name: 'call-0930.mp3',
      type: 'audio/mpeg',
      size: 1048576,
      kind: 'call_recording',
      recording: { callAt: '2026-12-02T09:30:00+08:00', durationSeconds: 184, direction: 'outbound', callbackId: 'HZ-2026-001.after_signing.1' },
    },
  });

export const attachmentList = z.object({ items: z.array(attachmentView) }).meta({ id: 'AttachmentList' });
