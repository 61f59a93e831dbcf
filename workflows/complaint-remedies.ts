// Remedies and approvals on a complaint: repair or compensate (never both), the fixed allowance, the authority matrix's signatures.
import { approvalNeeded, approverRoles, approversText, isApproved, LEGACY_APPROVERS, mayApprove } from '../domain/authority';
import { approvalTimes, HANDS_TO_LEGAL, heldByPending, unsignedRoles } from '../domain/approval.rules';
import { AUTHORITY_RULE } from './case-runtime';
import { APPROVAL_STEPS } from './complaint-approvals';
import { remedyConflict } from '../domain/complaint.rules';
import type { Action } from './complaint-actions';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import * as msg from './complaint.messages';
import { reject } from './refusal';

/** Patch id: a compensation names who pays, and only that payer's claim decision approves it (DOMAIN section 3). */
export const CLAIM_PAYER = 'claim-payer';

export function registerRemedyActions(c: Complaint, action: Action): void {
  const s = c.state;
  const policy = c.policy;
  const by = (actor: msg.Actor) => actor.sub;
  const now = () => c.now();
  const authority = c.input.policy.authority;
  const allowance = policy.validComplaintAllowance;

  action(
    msg.compensationUpdate,
    ({ type, defect }) => {
      if (s.status === 'closed') reject('INVALID_STATE', 'the case is closed');
      if (type === 'allowance' && !s.valid) {
        if (s.validityByTriage) reject('NOT_CONFIRMED_VALID', 'the fixed allowance is paid only for a complaint triage confirmed as valid');
        reject('INVALID_STATE', 'the fixed allowance is paid only for a complaint triaged as valid');
      }
      const conflict = remedyConflict(s.remedies, { type, defect });
      if (conflict) reject('REPAIR_OR_COMPENSATE', `the defect already has a ${conflict.type}; a defect is repaired or compensated, never both`);
      const held = heldByPending('compensation', s.approvalRequests, type);
      if (held) reject('APPROVAL_PENDING', `${held.decision}, asked by ${held.by}, awaits its approvers; a ${type} is recorded after the decision`);
    },
    async ({ actor, type, defect, amount, notes, payer: asked }) => {
      if (s.remedies.some((r) => r.type === type && (type === 'allowance' || r.defect === defect))) return;
      const value = type === 'allowance' ? policy.validComplaintAllowance : amount;
      // Who pays picks the claim decision; only asked when the request names a payer, so older histories never meet it.
      const payer = asked && c.fx.patched(CLAIM_PAYER) ? asked : undefined;
      // Who approved it goes into the record, so the case file shows who asked and who decided.
      const needed = c.fx.patched(AUTHORITY_RULE) ? approvalNeeded({ type, amount, payer }, { authority, allowance }) : [];
      const approvedBy = s.approvals.filter((a) => needed.includes(a.decision) && a.approved).map((a) => a.by);
      const approval = { ...(approvedBy.length ? { approvedBy } : {}), ...(payer ? { payer } : {}) };
      s.remedies.push({ type, defect, amount: value, currency: policy.currency, by: by(actor), at: iso(now()), ...approval });
      await c.record('compensation', by(actor), { type, defect, amount: value, currency: policy.currency, notes, ...approval });
    },
  );

  // A handler asks the matrix for a decision: the approvers are told, the request stays open until one of them decides.
  action(
    msg.approvalRequestUpdate,
    ({ decision }) => {
      if (s.status === 'closed') reject('INVALID_STATE', 'the case is closed');
      if ((s.approvalRequests ?? []).some((r) => r.decision === decision)) reject('ALREADY_DONE', `${decision} is already requested`);
      if (isApproved(decision, s.approvals, authority)) reject('ALREADY_DONE', `${decision} is already approved`);
    },
    async ({ actor, decision }) => {
      // A timed request (patched) reminds its approvers and escalates per policy until someone decides.
      const timing = c.input.policy.approvals && c.fx.patched(APPROVAL_STEPS) ? approvalTimes(now(), c.input.policy.approvals) : undefined;
      const timed = timing
        ? { roles: unsignedRoles(decision, s.approvals, authority), remindAt: iso(timing.remindAt), escalateAt: iso(timing.escalateAt) }
        : {};
      s.approvalRequests = [...(s.approvalRequests ?? []), { decision, by: by(actor), at: iso(now()), ...timed }];
      await c.record(
        'approval_requested',
        by(actor),
        { decision, ...(timing ? { escalateAt: iso(timing.escalateAt) } : {}) },
        approverRoles(decision, authority),
      );
    },
  );

  action(
    msg.approvalUpdate,
    ({ actor, decision, role }) => {
      if (s.status === 'closed') reject('INVALID_STATE', 'the case is closed');
      if (!actor.roles.includes(role) || mayApprove([role], decision, authority) === undefined)
        reject('ROLE_NOT_ALLOWED', `${decision} is approved by ${approversText(decision, authority)}`);
    },
    async ({ actor, decision, approved, role, notes }) => {
      const request = (s.approvalRequests ?? []).find((r) => r.decision === decision);
      // A timed request is decided afresh: a refusal of an earlier request does not answer this one.
      const since = request?.remindAt ? request.at : '';
      if (s.approvals.some((a) => a.decision === decision && a.role === role && a.at >= since)) return;
      const asked = request ? { requestedBy: request.by, requestedAt: request.at } : {};
      const ref = request?.remindAt ? c.fx.actionRef?.() : undefined;
      s.approvals.push({ decision, approved, role, by: by(actor), at: iso(now()), ...(request?.remindAt ? { ...asked, ...(ref ? { ref } : {}) } : {}) });
      await c.record('approval', by(actor), { decision, approved, role, notes, ...asked });
      const signed = c.fx.patched(AUTHORITY_RULE)
        ? isApproved(decision, s.approvals, authority)
        : LEGACY_APPROVERS[decision].every((r) => s.approvals.some((a) => a.decision === decision && a.role === r && a.approved));
      if (signed) await c.record('decision_approved', SYSTEM, { decision }, ['assistant', s.level]);
      // A refusal or a completed signature closes the request; the file keeps who asked.
      if (request && (signed || !approved)) s.approvalRequests = (s.approvalRequests ?? []).filter((r) => r !== request);
      else if (request?.remindAt) request.roles = unsignedRoles(decision, s.approvals, authority);
      if (!c.fx.patched(APPROVAL_STEPS)) return;
      if (!approved) await c.record('decision_rejected', SYSTEM, { decision, ...asked }, ['assistant', s.level]);
      // An approved arbitration or lawsuit is legal's from now on (DOMAIN section 3).
      if (signed && HANDS_TO_LEGAL.includes(decision) && (s.status === 'open' || s.status === 'paused')) await c.handToLegal(`${decision}_approved`, SYSTEM);
    },
  );
}
