// The pure rules of the case file's documents: the four parties, the gift's allowance, the review before closing.
import { describe, expect, it } from 'vitest';
import { apologyApproval, missingParties, needsReviewBeforeClose } from '../../domain/case-documents.rules';
import { POLICY } from '../support/fixtures';

const rules = POLICY.caseDocuments!;

describe('case-document rules', () => {
  it('names the parties still to sign, in the form’s order', () => {
    expect(missingParties([])).toEqual(['customer_service', 'engineering', 'design', 'customer']);
    expect(missingParties(['customer', 'design'])).toEqual(['customer_service', 'engineering']);
    expect(missingParties(['customer_service', 'engineering', 'design', 'customer'])).toEqual([]);
  });

  it('approves a gift within the allowance by the approvers, above it only by the director', () => {
    const allowance = rules.serviceApology.giftAllowance;
    expect(apologyApproval(['supervisor'], allowance, rules.serviceApology)).toEqual({ ok: true, signAs: 'supervisor' });
    expect(apologyApproval(['supervisor'], allowance + 1, rules.serviceApology)).toMatchObject({ ok: false, code: 'APPROVAL_REQUIRED' });
    expect(apologyApproval(['director'], allowance + 1, rules.serviceApology)).toEqual({ ok: true, signAs: 'director' });
    expect(apologyApproval(['assistant'], 0, rules.serviceApology)).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
  });

  it('asks for a file review before closing the severities the policy lists, and never without that policy', () => {
    expect(needsReviewBeforeClose('serious', rules)).toBe(true);
    expect(needsReviewBeforeClose('major', rules)).toBe(true);
    expect(needsReviewBeforeClose('general', rules)).toBe(false);
    expect(needsReviewBeforeClose(undefined, rules)).toBe(false);
    expect(needsReviewBeforeClose('major', undefined)).toBe(false);
  });
});
