// Attachment metadata on a complaint's file (name, type, size, who, when); the name may name a person, so it follows the confidentiality rule.
import { createHash, randomUUID } from 'node:crypto';
import { insertOnce, type Models } from '../../db/models';
import { maySeeComplainant } from '../../domain/authority';
import type { ComplaintKind } from '../../domain/complaint.rules';
import type { Role } from '../../domain/roles';
import type { z } from 'zod';
import type { attachmentBody } from '../../schemas/case-file.schema';
import { AppError } from '../errors';
import { keyReused } from '../idempotency';
import { requestHashOf } from './complaint-intake';

type Recording = { callAt: string; durationSeconds: number; direction: string; staff: string; callbackId?: string };
type AttachmentDoc = {
  _id: string;
  name: string;
  type: string;
  size: number;
  kind?: string | null;
  recording?: Recording | null;
  by: string;
  at: Date;
  requestHash?: string | null;
};
type Target = { caseType: 'complaint' | 'contract'; _id: string; kind: string };

/** Who attaches a file to a complaint: the people handling it. */
export const ATTACH_ROLES: readonly Role[] = ['assistant', 'supervisor', 'director', 'branch', 'engineering', 'hr', 'legal'];

export function attachmentView(a: AttachmentDoc, showName: boolean) {
  const kind = (a.kind ?? 'file') as 'file' | 'call_recording';
  return {
    id: a._id,
    ...(showName ? { name: a.name } : {}),
    type: a.type,
    size: a.size,
    kind,
    ...(a.recording ? { recording: a.recording } : {}),
    by: a.by,
    at: a.at.toISOString(),
  };
}

/** Every attachment of a case, oldest first; names only for those who may see the complainant (a contract: its customer). */
export async function listAttachments(models: Models, caseId: string, kind: string, roles: readonly Role[]) {
  const found = await models.Attachment.find({ caseId }).sort({ at: 1, _id: 1 }).lean();
  const showName = maySeeComplainant(kind as ComplaintKind, roles);
  return found.map((a) => attachmentView(a as AttachmentDoc, showName));
}

export function createAttachmentService(deps: { models: Models; now?: () => Date }) {
  const { models } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    list: (target: { _id: string; kind: string }, roles: readonly Role[]) => listAttachments(models, target._id, target.kind, roles),

    /** Records one attachment; the same Idempotency-Key again answers the first (a different body under it: 409). */
    async add(
      target: { _id: string; kind: string; caseType?: Target['caseType'] },
      body: z.infer<typeof attachmentBody>,
      user: { sub: string; roles: Role[] },
      key?: string,
    ) {
      const complaint = { caseType: 'complaint' as const, ...target };
      const requestHash = requestHashOf(body);
      const suffix = key ? createHash('sha256').update(`${user.sub}:${key}`).digest('hex').slice(0, 24) : randomUUID();
      const _id = `${complaint._id}:att:${suffix}`;
      // A recording names who took the call: the recorder unless the body says another staff id.
      const fields = body.recording ? { ...body, recording: { ...body.recording, staff: body.recording.staff ?? user.sub } } : body;
      if (complaint.caseType === 'contract' && body.recording?.callbackId) {
        const call = await models.Callback.findById(body.recording.callbackId).lean();
        if (!call || call.contractNo !== complaint._id)
          throw new AppError('CALLBACK_NOT_FOUND', `call ${body.recording.callbackId} is not one of contract ${complaint._id}`);
      }
      const created = await insertOnce(() =>
        models.Attachment.updateOne(
          { _id },
          { $setOnInsert: { caseType: complaint.caseType, caseId: complaint._id, ...fields, by: user.sub, at: now(), requestHash } },
          { upsert: true },
        ),
      );
      const stored = (await models.Attachment.findById(_id).lean()) as AttachmentDoc | null;
      if (!stored) throw new AppError('INTERNAL', 'attachment not stored');
      if (!created && stored.requestHash !== requestHash) throw keyReused();
      return { created, view: attachmentView(stored, maySeeComplainant(complaint.kind as ComplaintKind, user.roles)) };
    },
  };
}
