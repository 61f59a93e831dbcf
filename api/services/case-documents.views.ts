// The case file's documents as staff read them: each letter with its decision and dispatch, each inspection with its signatures.
import { missingParties, needsReviewBeforeClose, type CaseDocumentsPolicy } from '../../domain/case-documents.rules';
import type { StoredDocument } from './case-documents.store';

const iso = (d: Date) => d.toISOString();
const stamp = (d: StoredDocument) => ({ by: d.by, at: iso(d.at) });
type Data = Record<string, unknown>;

/** The letter's text is shown only to those who may see the complainant (it names them); the subject to every reader. */
export function letterView(letter: StoredDocument, docs: readonly StoredDocument[], showText = true) {
  const decision = docs.find((d) => d.docType === 'letter_decision' && d.parent === letter._id);
  const sent = docs.find((d) => d.docType === 'letter_sent' && d.parent === letter._id);
  const decided = decision?.data.decision as 'approve' | 'reject' | undefined;
  const status = sent ? 'sent' : decided === 'approve' ? 'approved' : decided === 'reject' ? 'rejected' : 'awaiting_legal';
  return {
    id: letter._id,
    ...stamp(letter),
    subject: String(letter.data.subject),
    ...(showText ? { text: String(letter.data.text) } : {}),
    status: status as 'awaiting_legal' | 'approved' | 'rejected' | 'sent',
    decision: decision ? { ...stamp(decision), ...(decision.data as { decision: 'approve' | 'reject'; reason?: string }) } : undefined,
    sent: sent ? { ...stamp(sent), ...(sent.data as { sentAt: string; receivedBy: string }) } : undefined,
  };
}

export function inspectionView(inspection: StoredDocument, docs: readonly StoredDocument[]) {
  const signatures = docs
    .filter((d) => d.docType === 'signature' && d.parent === inspection._id)
    .map((s) => ({ ...(s.data as { party: string; signedAt: string }), ...stamp(s), role: s.role ?? '' }));
  const conclusion = docs.find((d) => d.docType === 'conclusion' && d.parent === inspection._id);
  return {
    id: inspection._id,
    ...stamp(inspection),
    ...(inspection.data as { inspectedAt: string; findings: string }),
    signatures,
    missing: missingParties(signatures.map((s) => s.party)),
    conclusion: conclusion ? { ...stamp(conclusion), role: conclusion.role ?? '', ...(conclusion.data as { responsibility: string }) } : undefined,
  };
}

/** Every document of the case file, grouped; `reviewRequiredBeforeClose` says whether closing waits for a review. */
export function caseDocumentsView(docs: readonly StoredDocument[], severity: string | undefined, policy: CaseDocumentsPolicy | undefined, showText = true) {
  const of = (t: StoredDocument['docType']) => docs.filter((d) => d.docType === t);
  return {
    fileReviews: of('file_review').map((r) => ({ id: r._id, ...stamp(r), role: r.role ?? '', findings: r.data as Data })),
    reviewRequiredBeforeClose: needsReviewBeforeClose(severity, policy) && of('file_review').length === 0,
    letters: of('letter').map((l) => letterView(l, docs, showText)),
    inspections: of('inspection').map((i) => inspectionView(i, docs)),
    apologies: of('apology').map((a) => ({ id: a._id, ...stamp(a), approvedAs: a.role ?? '', ...(a.data as Data) })),
  };
}
