// Contracts of the case file's documents: file review, letters legal approves, the four-party site inspection, apologies.
import { z } from 'zod';
import {
  APOLOGY_BY,
  AUTHORITIES,
  CUSTOMER_IDENTITIES,
  INSPECTION_FINDINGS,
  INSPECTION_PARTIES,
  INSPECTION_RESPONSIBILITY,
  LETTER_DECISIONS,
  REVIEW_FINDINGS,
} from '../domain/case-documents.rules';
import { pastInstant, text } from './fields.schema';

/** A letter's or an inspection's id as this API returned it. */
export const documentIdSchema = z.string().regex(/^[A-Za-z0-9:_-]{8,120}$/, { message: 'must be an id this API returned' });

const rule = (path: string, message: string, r: string) => ({ code: 'custom' as const, path: [path], message, params: { rule: r } });

/** 看卷: what the reviewer checked in the file ([003] ch.5 §4), as codes and facts, no free text. */
const reviewFindings = z.object({
  pastMidStage: z.boolean().describe('Whether the works are past the mid-stage inspection (是否过中期)'),
  contractValue: z.number().min(0).max(100_000_000).describe('The contract value in currency units (单值多大)'),
  customerIdentity: z.enum(CUSTOMER_IDENTITIES).describe('Who the customer is (客户身份)'),
  complainedToAuthority: z.boolean().describe('Whether the customer complained, or says they will, to an authority or the media'),
  authority: z.enum(AUTHORITIES).optional().describe('Which authority (声称向何部门投诉); required when complainedToAuthority'),
  finding: z.enum(REVIEW_FINDINGS),
});

export const fileReviewBody = reviewFindings
  .strict()
  .superRefine((b, ctx) => {
    if (b.complainedToAuthority && !b.authority) ctx.addIssue(rule('authority', 'is required when complainedToAuthority is true', 'required_with_authority'));
    if (!b.complainedToAuthority && b.authority) ctx.addIssue(rule('authority', 'is only accepted when complainedToAuthority is true', 'only_with_authority'));
  })
  .meta({
    id: 'FileReviewInput',
    example: {
      pastMidStage: true,
      contractValue: 186000,
      customerIdentity: 'private',
      complainedToAuthority: true,
      authority: 'consumer_association',
      finding: 'gaps_found',
    },
  });

export const letterBody = z
  .object({ subject: text(200).describe('关于……的函: what the letter is about'), text: text(10000).describe('The letter; MongoDB only') })
  .strict()
  .meta({ id: 'LetterInput', example: { subject: 'Regarding the repair of the kitchen tiles', text: 'Dear Mr Wang, ...' } });

export const letterDecisionBody = z
  .object({ decision: z.enum(LETTER_DECISIONS), reason: text(2000).optional() })
  .strict()
  .superRefine((b, ctx) => {
    if (b.decision === 'reject' && !b.reason) ctx.addIssue(rule('reason', 'is required to reject a letter', 'required_to_reject'));
  })
  .meta({ id: 'LetterDecisionInput', example: { decision: 'reject', reason: 'Do not admit liability for the leak' } });

export const letterSentBody = z
  .object({ sentAt: pastInstant(1), receivedBy: z.enum(['customer', 'customer_agent']).describe('Who signed for it (须签收)') })
  .strict()
  .meta({ id: 'LetterSentInput', example: { sentAt: '2026-12-02T10:00:00+08:00', receivedBy: 'customer' } });

export const inspectionBody = z
  .object({ inspectedAt: pastInstant(1), findings: z.enum(INSPECTION_FINDINGS) })
  .strict()
  .meta({ id: 'InspectionInput', example: { inspectedAt: '2026-12-02T14:00:00+08:00', findings: 'construction_defect' } });

export const signatureBody = z
  .object({ party: z.enum(INSPECTION_PARTIES), signedAt: pastInstant(1) })
  .strict()
  .meta({ id: 'InspectionSignatureInput', example: { party: 'customer', signedAt: '2026-12-02T15:00:00+08:00' } });

export const conclusionBody = z
  .object({ responsibility: z.enum(INSPECTION_RESPONSIBILITY) })
  .strict()
  .meta({ id: 'InspectionConclusionInput', example: { responsibility: 'crew' } });

export const apologyBody = z
  .object({
    apologizedBy: z.enum(APOLOGY_BY).describe('The role of the person who apologized (责成相关人员赔礼道歉)'),
    apologizedAt: pastInstant(1),
    gift: z
      .object({ item: text(200).describe('What was given; MongoDB only'), value: z.number().min(0).max(100_000) })
      .strict()
      .optional()
      .describe('The small gift (赠送小礼品); its value decides who approves (policy caseDocuments.serviceApology)'),
  })
  .strict()
  .meta({
    id: 'ApologyInput',
    example: { apologizedBy: 'site_supervisor', apologizedAt: '2026-12-02T16:00:00+08:00', gift: { item: 'Tea set', value: 80 } },
  });

const stamp = { by: z.string(), at: z.string() };
export const fileReviewView = z.object({ id: z.string(), ...stamp, role: z.string(), findings: reviewFindings }).meta({ id: 'FileReview' });
export const letterView = z
  .object({
    id: z.string(),
    ...stamp,
    subject: z.string(),
    text: z.string().optional().describe('Shown only to those who may see the complainant'),
    status: z.enum(['awaiting_legal', 'approved', 'rejected', 'sent']),
    decision: z.object({ ...stamp, decision: z.enum(LETTER_DECISIONS), reason: z.string().optional() }).optional(),
    sent: z.object({ ...stamp, sentAt: z.string(), receivedBy: z.string() }).optional(),
  })
  .meta({ id: 'Letter' });
export const inspectionView = z
  .object({
    id: z.string(),
    ...stamp,
    inspectedAt: z.string(),
    findings: z.enum(INSPECTION_FINDINGS),
    signatures: z.array(z.object({ party: z.enum(INSPECTION_PARTIES), signedAt: z.string(), ...stamp, role: z.string() })),
    missing: z.array(z.enum(INSPECTION_PARTIES)).describe('Parties still to sign; a conclusion waits for all four'),
    conclusion: z.object({ ...stamp, role: z.string(), responsibility: z.enum(INSPECTION_RESPONSIBILITY) }).optional(),
  })
  .meta({ id: 'Inspection' });
export const apologyView = z
  .object({
    id: z.string(),
    ...stamp,
    approvedAs: z.string().describe('The role the approver signed as'),
    apologizedBy: z.enum(APOLOGY_BY),
    apologizedAt: z.string(),
    gift: z.object({ item: z.string(), value: z.number() }).optional(),
  })
  .meta({ id: 'Apology' });

export const caseDocumentsView = z
  .object({
    fileReviews: z.array(fileReviewView),
    reviewRequiredBeforeClose: z.boolean(),
    letters: z.array(letterView),
    inspections: z.array(inspectionView),
    apologies: z.array(apologyView),
  })
  .meta({ id: 'CaseDocuments' });
