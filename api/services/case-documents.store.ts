// Append-only storage of case documents: each step is one document keyed on its business id, written once.
import { createHash, randomUUID } from 'node:crypto';
import { insertOnce, type Models } from '../../db/models';
import type { Role } from '../../domain/roles';
import { AppError } from '../errors';
import { keyReused } from '../idempotency';
import { requestHashOf } from './complaint-intake';

export type CaseDocType = 'file_review' | 'letter' | 'letter_decision' | 'letter_sent' | 'inspection' | 'signature' | 'conclusion' | 'apology';
export interface StoredDocument {
  _id: string;
  caseId: string;
  docType: CaseDocType;
  parent?: string | null;
  by: string;
  role?: string | null;
  at: Date;
  data: Record<string, unknown>;
  requestHash?: string | null;
}

/** A new document's id: from the caller's Idempotency-Key (a retry finds the first), else fresh. */
export function newDocumentId(caseId: string, docType: CaseDocType, sub: string, key?: string): string {
  const suffix = key ? createHash('sha256').update(`${sub}:${docType}:${key}`).digest('hex').slice(0, 24) : randomUUID().replaceAll('-', '');
  return `${caseId}:${docType}:${suffix}`;
}

export function createDocumentStore(models: Models, now: () => Date) {
  return {
    /**
     * Writes the document once. The same body again answers the stored one (created false); another body under the
     * same id is 409: IDEMPOTENCY_KEY_REUSED for a keyed new document, ALREADY_DONE for a step that happens once.
     */
    async put(
      doc: { _id: string; caseId: string; docType: CaseDocType; parent?: string; role?: Role; data: Record<string, unknown> },
      user: { sub: string },
      onConflict: 'key' | 'once',
    ): Promise<{ created: boolean; stored: StoredDocument }> {
      const requestHash = requestHashOf(doc.data);
      const created = await insertOnce(() =>
        models.CaseDocument.updateOne({ _id: doc._id }, { $setOnInsert: { ...doc, by: user.sub, at: now(), requestHash } }, { upsert: true }),
      );
      const stored = (await models.CaseDocument.findById(doc._id).lean()) as StoredDocument | null;
      if (!stored) throw new AppError('INTERNAL', 'case document not stored');
      if (!created && stored.requestHash !== requestHash) {
        throw onConflict === 'key'
          ? keyReused()
          : new AppError('ALREADY_DONE', `${doc.docType.replace('_', ' ')} already recorded (${stored.at.toISOString()})`);
      }
      return { created, stored };
    },

    get: async (id: string) => (await models.CaseDocument.findById(id).lean()) as StoredDocument | null,

    /** Every document of a case, oldest first. */
    all: async (caseId: string) => (await models.CaseDocument.find({ caseId }).sort({ at: 1, _id: 1 }).lean()) as StoredDocument[],
  };
}
export type DocumentStore = ReturnType<typeof createDocumentStore>;
