// Case-file documents ([003] ch.5 §4, ch.7 §2, [004] §14.2) kept in MongoDB beside the case; none of them moves the ladder.
import type { z } from 'zod';
import type { Models } from '../../db/models';
import { worklistWriter } from '../../db/worklist-writer';
import {
  apologyApproval,
  INSPECTION_ROLES,
  LETTER_APPROVERS,
  LETTER_ROLES,
  missingParties,
  needsReviewBeforeClose,
  PARTY_SIGNERS,
  REVIEW_ROLES,
} from '../../domain/case-documents.rules';
import { maySeeComplainant } from '../../domain/authority';
import type { ComplaintKind } from '../../domain/complaint.rules';
import type { Policy } from '../../domain/policy';
import { expandRoles, type Role } from '../../domain/roles';
import { letterWork } from '../../domain/worklist.rules';
import { durationMs } from '../../domain/duration';
import type {
  apologyBody,
  conclusionBody,
  fileReviewBody,
  inspectionBody,
  letterBody,
  letterDecisionBody,
  letterSentBody,
  signatureBody,
} from '../../schemas/case-documents.schema';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { createDocumentStore, newDocumentId, type CaseDocType, type StoredDocument } from './case-documents.store';
import { caseDocumentsView, inspectionView, letterView } from './case-documents.views';

type CaseDoc = { _id: string; kind: string; status?: string | null; severity?: string | null; branch?: string | null };
type Body<T extends z.ZodType> = z.infer<T>;

/** The first of the caller's roles that the rule names: the role a document records its author under. */
function roleFor(user: StaffUser, allowed: readonly Role[], what: string): Role {
  const role = expandRoles(user.roles).find((r) => allowed.includes(r));
  if (!role) throw new AppError('ROLE_NOT_ALLOWED', `${what} is recorded by ${allowed.join(', ')}`);
  return role;
}

function openCase(doc: CaseDoc): void {
  if (doc.status === 'closed') throw new AppError('CASE_FINISHED', `complaint ${doc._id} is closed`);
}

export function createCaseDocumentService(deps: { models: Models; policy: Policy; now?: () => Date }) {
  const store = createDocumentStore(deps.models, deps.now ?? (() => new Date()));
  const policy = () => deps.policy.caseDocuments;
  const worklist = worklistWriter(deps.models, deps.policy.calendar.timeZone);
  // Legal is asked to decide a letter within the approvals' reminder time; a policy without approval timers: at once.
  const letterWithin = () => (deps.policy.approvals ? durationMs(deps.policy.approvals.remindAfter) : 0);

  async function parentOf(doc: CaseDoc, id: string, type: CaseDocType): Promise<StoredDocument> {
    const found = await store.get(id);
    if (!found || found.caseId !== doc._id || found.docType !== type) throw new AppError('NOT_FOUND', `${type} ${id} not found on complaint ${doc._id}`);
    return found;
  }

  const create = (doc: CaseDoc, docType: CaseDocType, user: StaffUser, role: Role, data: Record<string, unknown>, key?: string) =>
    store.put({ _id: newDocumentId(doc._id, docType, user.sub, key), caseId: doc._id, docType, role, data }, user, 'key');

  return {
    /** Everything the case file shows of its documents. */
    async view(doc: CaseDoc, roles: readonly Role[]) {
      const showText = maySeeComplainant(doc.kind as ComplaintKind, roles);
      return caseDocumentsView(await store.all(doc._id), doc.severity ?? undefined, policy(), showText);
    },

    /** Closing a serious or major case waits for a file review (policy caseDocuments.reviewBeforeClose). */
    async checkClose(doc: CaseDoc) {
      // Only a case that could close now (resolved, or in legal hands): any other answers the case's own refusal.
      if (doc.status !== 'resolved' && doc.status !== 'legal') return;
      if (!needsReviewBeforeClose(doc.severity ?? undefined, policy())) return;
      if (await deps.models.CaseDocument.exists({ caseId: doc._id, docType: 'file_review' })) return;
      throw new AppError(
        'FILE_REVIEW_REQUIRED',
        `a ${doc.severity} complaint closes only after its file was reviewed (POST /v1/complaints/${doc._id}/file-reviews)`,
      );
    },

    async review(doc: CaseDoc, body: Body<typeof fileReviewBody>, user: StaffUser, key?: string) {
      const { created, stored } = await create(doc, 'file_review', user, roleFor(user, REVIEW_ROLES, 'a file review'), body, key);
      return { created, view: caseDocumentsView([stored], undefined, undefined).fileReviews[0]! };
    },

    async draftLetter(doc: CaseDoc, body: Body<typeof letterBody>, user: StaffUser, key?: string) {
      openCase(doc);
      const { created, stored } = await create(doc, 'letter', user, roleFor(user, LETTER_ROLES, 'a letter'), body, key);
      const work = letterWork(doc._id, stored._id, stored.at.getTime(), letterWithin(), LETTER_APPROVERS);
      await worklist.letter(doc._id, stored._id, doc.branch ?? undefined, work);
      return { created, view: letterView(stored, [], maySeeComplainant(doc.kind as ComplaintKind, user.roles)) };
    },

    /** Legal approves or rejects a letter once; a rejected letter is redrafted as a new one. */
    async decideLetter(doc: CaseDoc, letterId: string, body: Body<typeof letterDecisionBody>, user: StaffUser) {
      const letter = await parentOf(doc, letterId, 'letter');
      const role = roleFor(user, LETTER_APPROVERS, 'a letter’s approval');
      const data = { decision: body.decision, ...(body.reason ? { reason: body.reason } : {}) };
      // Settled first: a repeat of a decided letter answers ALREADY_DONE from the store, and its item is settled either way.
      await worklist.letter(doc._id, letterId, doc.branch ?? undefined, { open: false });
      await store.put({ _id: `${letterId}:decision`, caseId: doc._id, docType: 'letter_decision', parent: letterId, role, data }, user, 'once');
      return letterView(letter, await store.all(doc._id), maySeeComplainant(doc.kind as ComplaintKind, user.roles));
    },

    /** Marked sent (and signed for) only after legal approved it ([003] ch.5 §4: 发文前须报集团法务中心批准). */
    async markSent(doc: CaseDoc, letterId: string, body: Body<typeof letterSentBody>, user: StaffUser) {
      const letter = await parentOf(doc, letterId, 'letter');
      const role = roleFor(user, LETTER_ROLES, 'a letter’s dispatch');
      const docs = await store.all(doc._id);
      const decision = docs.find((d) => d.docType === 'letter_decision' && d.parent === letterId);
      if (decision?.data.decision !== 'approve') {
        throw new AppError('LETTER_NOT_APPROVED', decision ? 'legal rejected this letter: draft a new one' : 'legal has not approved this letter yet');
      }
      await store.put({ _id: `${letterId}:sent`, caseId: doc._id, docType: 'letter_sent', parent: letterId, role, data: body }, user, 'once');
      return letterView(letter, await store.all(doc._id), maySeeComplainant(doc.kind as ComplaintKind, user.roles));
    },

    async openInspection(doc: CaseDoc, body: Body<typeof inspectionBody>, user: StaffUser, key?: string) {
      openCase(doc);
      const { created, stored } = await create(doc, 'inspection', user, roleFor(user, INSPECTION_ROLES, 'a site inspection'), body, key);
      return { created, view: inspectionView(stored, []) };
    },

    /** One signature per party, recorded by staff of a role that party belongs to (the customer's taken on the form). */
    async sign(doc: CaseDoc, inspectionId: string, body: Body<typeof signatureBody>, user: StaffUser) {
      const inspection = await parentOf(doc, inspectionId, 'inspection');
      const role = roleFor(user, PARTY_SIGNERS[body.party], `the ${body.party} party’s signature`);
      const docs = await store.all(doc._id);
      if (docs.some((d) => d.docType === 'conclusion' && d.parent === inspectionId)) throw new AppError('ALREADY_DONE', 'the inspection is concluded');
      const _id = `${inspectionId}:sig:${body.party}`;
      await store.put({ _id, caseId: doc._id, docType: 'signature', parent: inspectionId, role, data: body }, user, 'once');
      return inspectionView(inspection, await store.all(doc._id));
    },

    /** A conclusion only once all four parties signed ([003] ch.7 §2: 四方签署会勘意见). */
    async conclude(doc: CaseDoc, inspectionId: string, body: Body<typeof conclusionBody>, user: StaffUser) {
      const inspection = await parentOf(doc, inspectionId, 'inspection');
      const role = roleFor(user, INSPECTION_ROLES, 'an inspection’s conclusion');
      const docs = await store.all(doc._id);
      const signed = docs.filter((d) => d.docType === 'signature' && d.parent === inspectionId).map((d) => String(d.data.party));
      const missing = missingParties(signed);
      if (missing.length) {
        throw new AppError(
          'INSPECTION_NOT_SIGNED',
          `the inspection is concluded only after all four parties signed; missing: ${missing.join(', ')}`,
          missing.map((p) => ({ field: 'party', rule: 'signature_missing', message: `${p} has not signed` })),
        );
      }
      await store.put({ _id: `${inspectionId}:conclusion`, caseId: doc._id, docType: 'conclusion', parent: inspectionId, role, data: body }, user, 'once');
      return inspectionView(inspection, await store.all(doc._id));
    },

    /** A service-quality remedy ([004] §14.2): who apologized, and a small gift approved per the policy's allowance. */
    async apologize(doc: CaseDoc, body: Body<typeof apologyBody>, user: StaffUser, key?: string) {
      openCase(doc);
      if (doc.kind !== 'customer') throw new AppError('NOT_SERVICE_COMPLAINT', `an apology remedies a customer’s complaint, not a ${doc.kind} case`);
      const rules = policy()?.serviceApology;
      if (!rules) throw new AppError('RULE_VIOLATED', 'the policy in force has no caseDocuments.serviceApology');
      const verdict = apologyApproval(user.roles, body.gift?.value ?? 0, rules);
      if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
      const { created, stored } = await create(doc, 'apology', user, verdict.signAs, body, key);
      return { created, view: caseDocumentsView([stored], undefined, undefined).apologies[0]! };
    },
  };
}
export type CaseDocumentService = ReturnType<typeof createCaseDocumentService>;
