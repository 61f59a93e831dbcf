// Authority matrix (DOMAIN.md section 3), who may act on a complaint, and complainant confidentiality.
import { describe, it, expect } from 'vitest';
import {
  ACTION_ROLES,
  APPROVAL_DECISIONS,
  APPROVERS,
  COMPLAINT_ACTIONS,
  mayApprove,
  mayPerform,
  maySeeComplainant,
  type ApprovalDecision,
} from '../../domain/authority';
import { COMPLAINT_KINDS } from '../../domain/complaint.rules';
import { ROLES, type Role } from '../../domain/roles';

describe('APPROVERS (DOMAIN.md section 3)', () => {
  it('matches the authority matrix exactly', () => {
    expect(APPROVERS).toEqual({
      refund_deposit_unmeasured: ['executive'],
      refund_deposit_measured: ['executive'],
      cancel_order: ['executive'],
      claim_crew_pays: ['executive'],
      claim_company_pays: ['executive'],
      environmental_dispute: ['legal', 'director'],
      regulator_media_case: ['executive', 'legal'],
      arbitration_lawsuit: ['legal'],
    });
  });

  it('covers every decision', () => {
    expect(Object.keys(APPROVERS).sort()).toEqual([...APPROVAL_DECISIONS].sort());
  });

  it('environmental disputes need legal together with the director', () => {
    expect(APPROVERS.environmental_dispute).toHaveLength(2);
    expect(APPROVERS.environmental_dispute).toEqual(expect.arrayContaining(['legal', 'director']));
  });

  it('regulator or media cases need the VP and legal', () => {
    expect(APPROVERS.regulator_media_case).toEqual(expect.arrayContaining(['executive', 'legal']));
  });
});

describe('mayApprove', () => {
  it('returns the role under which the user signs', () => {
    expect(mayApprove(['executive'], 'refund_deposit_measured')).toBe('executive');
    expect(mayApprove(['legal'], 'arbitration_lawsuit')).toBe('legal');
    expect(mayApprove(['director'], 'environmental_dispute')).toBe('director');
    expect(mayApprove(['legal'], 'environmental_dispute')).toBe('legal');
    expect(mayApprove(['legal'], 'regulator_media_case')).toBe('legal');
    expect(mayApprove(['assistant', 'executive'], 'cancel_order')).toBe('executive');
  });

  it('refuses roles outside the matrix', () => {
    expect(mayApprove(['director'], 'refund_deposit_unmeasured')).toBeUndefined();
    expect(mayApprove(['supervisor', 'assistant', 'branch'], 'claim_crew_pays')).toBeUndefined();
    expect(mayApprove(['executive'], 'arbitration_lawsuit')).toBeUndefined();
    expect(mayApprove(['executive'], 'environmental_dispute')).toBeUndefined();
    expect(mayApprove(['legal'], 'claim_company_pays')).toBeUndefined();
    expect(mayApprove([], 'arbitration_lawsuit')).toBeUndefined();
  });

  it('grants exactly the listed approvers for every decision and role', () => {
    for (const decision of APPROVAL_DECISIONS) {
      for (const role of ROLES) {
        const expected = (APPROVERS[decision] as readonly Role[]).includes(role) ? role : undefined;
        expect(mayApprove([role], decision as ApprovalDecision), `${role} on ${decision}`).toBe(expected);
      }
    }
  });

  it('nobody but executive, legal and director approves anything', () => {
    for (const role of ['assistant', 'supervisor', 'engineering', 'branch', 'hr', 'admin'] as const) {
      for (const decision of APPROVAL_DECISIONS) expect(mayApprove([role], decision), `${role} ${decision}`).toBeUndefined();
    }
  });
});

describe('mayPerform', () => {
  it('customer-service roles create, triage and escalate; others do not', () => {
    for (const action of ['create', 'acknowledge', 'triage', 'follow-up', 'escalate', 'reopen'] as const) {
      expect(mayPerform(['assistant'], action), action).toBe(true);
      expect(mayPerform(['director'], action), action).toBe(true);
      expect(mayPerform(['executive'], action), action).toBe(false);
      expect(mayPerform(['branch'], action), action).toBe(false);
      expect(mayPerform(['hr'], action), action).toBe(false);
    }
  });

  it('handling departments give feedback', () => {
    expect(mayPerform(['branch'], 'feedback')).toBe(true);
    expect(mayPerform(['engineering'], 'feedback')).toBe(true);
    expect(mayPerform(['hr'], 'feedback')).toBe(true);
    expect(mayPerform(['legal'], 'feedback')).toBe(false);
    expect(mayPerform(['executive'], 'feedback')).toBe(false);
  });

  it('legal may pause, resume and close but not create', () => {
    expect(mayPerform(['legal'], 'pause')).toBe(true);
    expect(mayPerform(['legal'], 'resume')).toBe(true);
    expect(mayPerform(['legal'], 'close')).toBe(true);
    expect(mayPerform(['legal'], 'create')).toBe(false);
  });

  it('surveys are done by the assistant or supervisor only', () => {
    expect(mayPerform(['assistant'], 'survey')).toBe(true);
    expect(mayPerform(['supervisor'], 'survey')).toBe(true);
    expect(mayPerform(['director'], 'survey')).toBe(false);
  });

  it('the branch may record compensation, the executive may not', () => {
    expect(mayPerform(['branch'], 'compensation')).toBe(true);
    expect(mayPerform(['executive'], 'compensation')).toBe(false);
  });

  it('approvals are open to exactly the roles in the matrix', () => {
    expect([...ACTION_ROLES.approvals].sort()).toEqual(['director', 'executive', 'legal']);
    expect(mayPerform(['executive'], 'approvals')).toBe(true);
    expect(mayPerform(['assistant'], 'approvals')).toBe(false);
  });

  it('admin only reads', () => {
    for (const action of COMPLAINT_ACTIONS) expect(mayPerform(['admin'], action), action).toBe(action === 'read');
  });

  it('no roles means no actions, one matching role out of many suffices', () => {
    for (const action of COMPLAINT_ACTIONS) expect(mayPerform([], action), action).toBe(false);
    expect(mayPerform(['admin', 'hr', 'supervisor'], 'escalate')).toBe(true);
  });
});

describe('maySeeComplainant (confidentiality)', () => {
  const seers = (kind: (typeof COMPLAINT_KINDS)[number]) => ROLES.filter((r) => maySeeComplainant(kind, [r])).sort();

  it('staff complaints: only hr, the director and legal', () => {
    expect(seers('staff')).toEqual(['director', 'hr', 'legal']);
  });

  it('crew complaints: only engineering, the director and legal', () => {
    expect(seers('crew')).toEqual(['director', 'engineering', 'legal']);
  });

  it('customer and repair cases: customer-service roles, the branch and legal', () => {
    expect(seers('customer')).toEqual(['assistant', 'branch', 'director', 'legal', 'supervisor']);
    expect(seers('repair')).toEqual(['assistant', 'branch', 'director', 'legal', 'supervisor']);
  });

  it('the executive never sees a complainant identity', () => {
    for (const kind of COMPLAINT_KINDS) expect(maySeeComplainant(kind, ['executive']), kind).toBe(false);
  });

  it('an informant of a staff complaint is hidden from the assistant and the branch', () => {
    expect(maySeeComplainant('staff', ['assistant', 'supervisor', 'branch'])).toBe(false);
    expect(maySeeComplainant('crew', ['hr', 'branch'])).toBe(false);
  });

  it('any one handling role among several grants access', () => {
    expect(maySeeComplainant('staff', ['executive', 'hr'])).toBe(true);
    expect(maySeeComplainant('customer', ['admin', 'branch'])).toBe(true);
    expect(maySeeComplainant('customer', [])).toBe(false);
  });
});
