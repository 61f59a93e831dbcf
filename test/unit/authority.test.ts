// The authorization rule (domain/authority.ts): the matrix of DOMAIN.md section 3, who acts at which level, approvals, confidentiality.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  ACTION_ROLES,
  APPROVAL_DECISIONS,
  approvalNeeded,
  authorize,
  authorizeContract,
  COMPLAINT_ACTIONS,
  DEFAULT_AUTHORITY,
  isApproved,
  mayApprove,
  maySeeComplainant,
  recipientRoles,
  type CaseFacts,
  type ComplaintAction,
} from '../../domain/authority';
import { COMPLAINT_KINDS } from '../../domain/complaint.rules';
import { expandRoles, LEVELS, ROLES, type Level, type Role } from '../../domain/roles';
import { loadPolicy } from '../../config/policy';

const ctx = { authority: DEFAULT_AUTHORITY, allowance: 50 };
const at = (level: Level, status: CaseFacts['status'] = 'open', approvals: CaseFacts['approvals'] = []): CaseFacts => ({ level, status, approvals });
const verdict = (roles: Role[], action: ComplaintAction, c: CaseFacts = at('assistant'), input = {}) => {
  const v = authorize({ roles }, action, c, ctx, input);
  return v.ok ? 'ok' : v.code;
};

describe('the authority matrix (DOMAIN.md section 3) as policy data', () => {
  it('splits the executive: regional president or VP, VP alone, regional president alone', () => {
    expect(DEFAULT_AUTHORITY.approvers).toEqual({
      refund_deposit_unmeasured: [['regional_president', 'vp']],
      refund_deposit_measured: [['vp']],
      cancel_order: [['vp']],
      claim_crew_pays: [['regional_president']],
      claim_company_pays: [['vp']],
      environmental_dispute: [['legal'], ['director']],
      regulator_media_case: [['vp'], ['legal']],
      arbitration_lawsuit: [['legal']],
    });
  });

  it('is the same data in the shipped policy documents, which the schema validates', () => {
    expect(loadPolicy().authority).toEqual(DEFAULT_AUTHORITY);
    const demo = JSON.parse(readFileSync(path.join(__dirname, '../../config/policy.demo-seconds.json'), 'utf8'));
    expect(demo.authority).toEqual(DEFAULT_AUTHORITY);
  });

  it('covers every decision', () => {
    expect(Object.keys(DEFAULT_AUTHORITY.approvers).sort()).toEqual([...APPROVAL_DECISIONS].sort());
  });
});

describe('mayApprove and isApproved', () => {
  it('returns the role the user signs under', () => {
    expect(mayApprove(['vp'], 'refund_deposit_measured')).toBe('vp');
    expect(mayApprove(['regional_president'], 'refund_deposit_unmeasured')).toBe('regional_president');
    expect(mayApprove(['regional_president'], 'claim_crew_pays')).toBe('regional_president');
    expect(mayApprove(['legal'], 'environmental_dispute')).toBe('legal');
    expect(mayApprove(['director'], 'environmental_dispute')).toBe('director');
  });

  it('refuses roles outside the matrix, and the regional president where only the VP decides', () => {
    expect(mayApprove(['regional_president'], 'refund_deposit_measured')).toBeUndefined();
    expect(mayApprove(['regional_president'], 'cancel_order')).toBeUndefined();
    expect(mayApprove(['vp'], 'claim_crew_pays')).toBeUndefined();
    expect(mayApprove(['vp'], 'arbitration_lawsuit')).toBeUndefined();
    expect(mayApprove(['director'], 'refund_deposit_unmeasured')).toBeUndefined();
    expect(mayApprove([], 'arbitration_lawsuit')).toBeUndefined();
  });

  it('nobody but the regional president, the VP, legal and the director approves anything', () => {
    for (const role of ['assistant', 'supervisor', 'engineering', 'branch', 'hr', 'admin'] as const) {
      for (const decision of APPROVAL_DECISIONS) expect(mayApprove([role], decision), `${role} ${decision}`).toBeUndefined();
    }
  });

  it('keeps executive as an alias of both', () => {
    expect(expandRoles(['executive']).sort()).toEqual(['executive', 'regional_president', 'vp']);
    expect(mayApprove(['executive'], 'cancel_order')).toBe('vp');
    expect(mayApprove(['executive'], 'claim_crew_pays')).toBe('regional_president');
    expect(recipientRoles(['vp'])).toContain('executive');
  });

  it('needs every group: an environmental dispute is approved only with legal and the director', () => {
    const legal = { decision: 'environmental_dispute' as const, approved: true, role: 'legal' as const };
    expect(isApproved('environmental_dispute', [legal])).toBe(false);
    expect(isApproved('environmental_dispute', [legal, { ...legal, role: 'director' }])).toBe(true);
    expect(isApproved('environmental_dispute', [legal, { ...legal, role: 'director', approved: false }])).toBe(false);
  });
});

describe('authorize: roles', () => {
  it('an assistant does not triage, the supervisor and director do', () => {
    expect(verdict(['assistant'], 'triage')).toBe('ROLE_NOT_ALLOWED');
    expect(verdict(['supervisor'], 'triage')).toBe('ok');
    expect(verdict(['director'], 'triage')).toBe('ok');
  });

  it('an assistant approves nothing', () => {
    for (const decision of APPROVAL_DECISIONS) expect(verdict(['assistant'], 'approvals', at('assistant'), { decision }), decision).toBe('ROLE_NOT_ALLOWED');
  });

  it('an approval is signed under the matrix role; a wrong approver is refused', () => {
    expect(authorize({ roles: ['vp'] }, 'approvals', at('assistant'), ctx, { decision: 'cancel_order' })).toEqual({ ok: true, signAs: 'vp' });
    expect(verdict(['director'], 'approvals', at('assistant'), { decision: 'cancel_order' })).toBe('ROLE_NOT_ALLOWED');
  });

  it('admin only reads; no roles, no actions', () => {
    for (const action of COMPLAINT_ACTIONS) expect(verdict(['admin'], action) === 'ok', action).toBe(action === 'read');
    for (const action of COMPLAINT_ACTIONS) expect(verdict([], action), action).toBe('ROLE_NOT_ALLOWED');
  });

  it('handling departments give feedback; legal and the VP do not', () => {
    for (const role of ['branch', 'engineering', 'hr'] as const) expect(verdict([role], 'feedback'), role).toBe('ok');
    for (const role of ['legal', 'vp'] as const) expect(verdict([role], 'feedback'), role).toBe('ROLE_NOT_ALLOWED');
  });

  it('every action has roles, all of them known', () => {
    for (const action of COMPLAINT_ACTIONS) {
      expect(ACTION_ROLES[action].length, action).toBeGreaterThan(0);
      for (const r of ACTION_ROLES[action]) expect(ROLES).toContain(r);
    }
  });
});

describe('authorize: the case holder', () => {
  it('an assistant cannot close or escalate a case held by supervisor, director or legal', () => {
    for (const level of ['supervisor', 'director', 'legal'] as const) {
      expect(verdict(['assistant'], 'escalate', at(level)), level).toBe('NOT_CASE_OWNER');
      expect(verdict(['assistant'], 'close', at(level, 'resolved')), level).toBe('NOT_CASE_OWNER');
    }
    expect(verdict(['assistant'], 'escalate', at('assistant'))).toBe('ok');
    expect(verdict(['assistant'], 'close', at('assistant', 'resolved'))).toBe('ok');
  });

  it('each rung acts at its own level and below, never above', () => {
    const ladder = ['assistant', 'supervisor', 'director', 'legal'] as const;
    for (const [i, role] of ladder.entries()) {
      for (const [j, level] of LEVELS.entries()) {
        expect(verdict([role], 'close', at(level, 'resolved')), `${role} closing at ${level}`).toBe(j <= i ? 'ok' : 'NOT_CASE_OWNER');
      }
    }
  });

  it('one role high enough among several suffices', () => {
    expect(verdict(['assistant', 'director'], 'escalate', at('director'))).toBe('ok');
  });
});

describe('authorize: remedies that need an approval', () => {
  const refund = { type: 'refund' as const, amount: 800 };
  const signed = (decision: (typeof APPROVAL_DECISIONS)[number], role: Role, approved = true) => [{ decision, approved, role }];

  it('a refund is refused until a refund decision is approved', () => {
    expect(verdict(['assistant'], 'compensation', at('assistant'), refund)).toBe('APPROVAL_REQUIRED');
    expect(verdict(['supervisor'], 'compensation', at('assistant', 'open', signed('refund_deposit_measured', 'vp', false)), refund)).toBe('APPROVAL_REQUIRED');
    expect(verdict(['assistant'], 'compensation', at('assistant', 'open', signed('refund_deposit_measured', 'vp')), refund)).toBe('ok');
    // An approval signed under the old executive name still counts.
    expect(verdict(['assistant'], 'compensation', at('assistant', 'open', signed('refund_deposit_measured', 'executive')), refund)).toBe('ok');
  });

  it('a compensation above the fixed allowance needs a claim approved; at or below it does not', () => {
    expect(verdict(['branch'], 'compensation', at('assistant'), { type: 'compensation', amount: 50 })).toBe('ok');
    expect(verdict(['branch'], 'compensation', at('assistant'), { type: 'compensation', amount: 51 })).toBe('APPROVAL_REQUIRED');
    expect(
      verdict(['branch'], 'compensation', at('assistant', 'open', signed('claim_crew_pays', 'regional_president')), { type: 'compensation', amount: 900 }),
    ).toBe('ok');
  });

  it('who pays picks the claim: the crew’s needs the regional president, the company’s the VP; no payer takes either', () => {
    const crewSigned = at('assistant', 'open', signed('claim_crew_pays', 'regional_president'));
    const vpSigned = at('assistant', 'open', signed('claim_company_pays', 'vp'));
    const claim = (payer?: 'crew' | 'company') => ({ type: 'compensation' as const, amount: 900, payer });
    expect(verdict(['assistant'], 'compensation', crewSigned, claim('crew'))).toBe('ok');
    expect(verdict(['assistant'], 'compensation', crewSigned, claim('company'))).toBe('APPROVAL_REQUIRED');
    expect(verdict(['assistant'], 'compensation', vpSigned, claim('company'))).toBe('ok');
    expect(verdict(['assistant'], 'compensation', vpSigned, claim('crew'))).toBe('APPROVAL_REQUIRED');
    expect(verdict(['assistant'], 'compensation', vpSigned, claim())).toBe('ok');
    expect(approvalNeeded(claim('crew'), ctx)).toEqual(['claim_crew_pays']);
    expect(approvalNeeded(claim('company'), ctx)).toEqual(['claim_company_pays']);
    expect(approvalNeeded({ type: 'compensation', amount: 50, payer: 'company' }, ctx)).toEqual([]);
  });

  it('repairs, exchanges and the allowance need no approval', () => {
    for (const type of ['repair', 'exchange', 'allowance'] as const) expect(verdict(['assistant'], 'compensation', at('assistant'), { type }), type).toBe('ok');
  });
});

describe('authorizeContract', () => {
  it('a contract is cancelled only by the VP', () => {
    for (const role of ['assistant', 'branch', 'supervisor', 'director', 'regional_president'] as const) {
      const v = authorizeContract({ roles: [role] }, 'milestone', { type: 'cancelled' });
      expect(v.ok ? 'ok' : v.code, role).toBe(role === 'regional_president' ? 'ROLE_NOT_ALLOWED' : 'APPROVAL_REQUIRED');
    }
    expect(authorizeContract({ roles: ['vp'] }, 'milestone', { type: 'cancelled' }).ok).toBe(true);
    expect(authorizeContract({ roles: ['assistant'] }, 'milestone', { type: 'work_started' }).ok).toBe(true);
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

  it('the regional president and the VP never see a complainant identity', () => {
    for (const kind of COMPLAINT_KINDS)
      for (const r of ['executive', 'vp', 'regional_president'] as const) expect(maySeeComplainant(kind, [r]), kind).toBe(false);
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
