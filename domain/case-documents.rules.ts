// The source documents' case-file rules ([003] ch.5 §4 查卷/发文/录音, ch.7 §2 会勘, [004] §14.2): codes, who signs, pure checks.
import { expandRoles, type Role, type Severity } from './roles';

/** What "看卷" asks of the file: who the customer is and whether they went (or threaten to go) to an authority. */
export const CUSTOMER_IDENTITIES = ['private', 'company', 'public_official', 'media', 'lawyer', 'other'] as const;
export const AUTHORITIES = [
  'industry_regulator',
  'consumer_association',
  'labour_inspection',
  'technical_supervision',
  'industry_commerce',
  'media',
  'court',
] as const;
/** The reviewer's conclusion: the file is complete, has gaps the handler must fill, or must go to legal. */
export const REVIEW_FINDINGS = ['in_order', 'gaps_found', 'refer_to_legal'] as const;

export const LETTER_DECISIONS = ['approve', 'reject'] as const;

/** The four parties of a joint site inspection ([003] ch.7 §2: 客服部, 工程部, 设计部 and the customer). */
export const INSPECTION_PARTIES = ['customer_service', 'engineering', 'design', 'customer'] as const;
export type InspectionParty = (typeof INSPECTION_PARTIES)[number];
export const INSPECTION_FINDINGS = ['construction_defect', 'material_defect', 'design_issue', 'customer_use', 'no_defect_found'] as const;
export const INSPECTION_RESPONSIBILITY = ['company', 'crew', 'supplier', 'customer', 'none'] as const;

/** Staff roles whose staff may record a party's signature (the customer's is taken on the paper form by staff on site). */
export const PARTY_SIGNERS: Record<InspectionParty, readonly Role[]> = {
  customer_service: ['branch', 'supervisor', 'director'],
  engineering: ['branch', 'engineering'],
  design: ['branch'],
  customer: ['branch', 'engineering', 'supervisor', 'director'],
};

/** Who apologizes for a service-quality complaint ([004] §14.2 责成相关人员赔礼道歉): the role, never the name. */
export const APOLOGY_BY = ['designer', 'site_supervisor', 'foreman', 'sales', 'customer_service', 'branch_manager'] as const;

export const REVIEW_ROLES: readonly Role[] = ['supervisor', 'director', 'legal', 'branch'];
export const LETTER_ROLES: readonly Role[] = ['assistant', 'supervisor', 'director', 'branch'];
export const LETTER_APPROVERS: readonly Role[] = ['legal'];
export const INSPECTION_ROLES: readonly Role[] = ['branch', 'engineering', 'supervisor', 'director'];
export const APOLOGY_ROLES: readonly Role[] = ['supervisor', 'director'];

/** Policy `caseDocuments`: which cases need a file review before closing, and the allowance rules of the small gift. */
export interface CaseDocumentsPolicy {
  reviewBeforeClose: Severity[];
  serviceApology: { giftAllowance: number; approvers: Role[]; aboveAllowance: Role[] };
}

/** The parties still to sign, in the document's order. */
export function missingParties(signed: readonly string[]): InspectionParty[] {
  return INSPECTION_PARTIES.filter((p) => !signed.includes(p));
}

export type ApologyVerdict = { ok: true; signAs: Role } | { ok: false; code: 'ROLE_NOT_ALLOWED' | 'APPROVAL_REQUIRED'; message: string };

/** A gift within the allowance is approved by any of the policy's approvers; above it only by the `aboveAllowance` roles. */
export function apologyApproval(roles: readonly Role[], giftValue: number, policy: CaseDocumentsPolicy['serviceApology']): ApologyVerdict {
  const mine = expandRoles(roles);
  const within = giftValue <= policy.giftAllowance;
  const allowed = within ? [...policy.approvers, ...policy.aboveAllowance] : policy.aboveAllowance;
  const signAs = mine.find((r) => allowed.includes(r));
  if (signAs) return { ok: true, signAs };
  if (!within && mine.some((r) => policy.approvers.includes(r))) {
    return { ok: false, code: 'APPROVAL_REQUIRED', message: `a gift above ${policy.giftAllowance} is approved by ${policy.aboveAllowance.join(' or ')}` };
  }
  return { ok: false, code: 'ROLE_NOT_ALLOWED', message: `an apology is approved by ${policy.approvers.join(' or ')}` };
}

/** A serious or major case (as the policy lists) closes only once someone reviewed its file. */
export const needsReviewBeforeClose = (severity: string | undefined, policy: CaseDocumentsPolicy | undefined) =>
  Boolean(severity && policy?.reviewBeforeClose.includes(severity as Severity));
