// Who pays a claim (DOMAIN section 3): the crew's claim is the regional president's, the company's the VP's; the request says which.
import { describe, expect, it } from 'vitest';
import { approvalUpdate, compensationUpdate, complaintWorkflowId, stateQuery } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { useApi } from '../support/api-world';

const w = useCaseWorld('dev');
const served = useApi(w);
const t = served.t;

const open = () => served.open();
const act = (id: string, action: string, who: string, body: unknown = {}) => served.api.call('POST', `/v1/complaints/${id}/${action}`, { token: t[who], body });
const state = (id: string) => w.env.client.workflow.getHandle(complaintWorkflowId(id)).query(stateQuery);
const claim = (payer?: 'crew' | 'company', defect = 'floor') => ({ type: 'compensation', defect, amount: 400, ...(payer ? { payer } : {}) });

describe('who pays a claim', () => {
  it('a compensation above the allowance must name its payer; payer is only for a compensation; nothing is recorded', async () => {
    const id = await open();
    const missing = await act(id, 'compensation', 'assistant', claim());
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ field: 'payer', rule: 'required_above_allowance' })]);
    const onRefund = await act(id, 'compensation', 'assistant', { type: 'refund', defect: 'floor', amount: 400, payer: 'crew' });
    expect(onRefund.status).toBe(422);
    expect(onRefund.body.error.details).toEqual([expect.objectContaining({ field: 'payer', rule: 'only_for_compensation' })]);
    // Within the allowance no approval is needed and no payer either.
    expect((await act(id, 'compensation', 'assistant', { type: 'compensation', defect: 'hinge', amount: 30 })).status).toBe(200);
    expect((await state(id)).remedies).toHaveLength(1);
  });

  it('the crew pays: the regional president approves and the case file shows the payer and the approver', async () => {
    const id = await open();
    expect((await act(id, 'approval-requests', 'assistant', { decision: 'claim_crew_pays' })).status).toBe(200);
    // Undecided: asking again is refused (409), the claim is not yet recorded (403), neither an assistant nor the branch decides it (403).
    const again = await act(id, 'approval-requests', 'assistant', { decision: 'claim_crew_pays' });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_DONE']);
    expect((await act(id, 'compensation', 'assistant', claim('crew'))).body.error.code).toBe('APPROVAL_REQUIRED');
    for (const who of ['assistant', 'branch']) {
      const res = await act(id, 'approvals', who, { decision: 'claim_crew_pays', approved: true });
      // The route's gate: neither role approves anything.
      expect([res.status, res.body.error.code], who).toEqual([403, 'FORBIDDEN']);
    }
    // Another branch's assistant does not learn the case exists.
    expect((await act(id, 'compensation', 'southAssistant', claim('crew'))).status).toBe(404);
    expect((await state(id)).approvals).toEqual([]);
    expect((await act(id, 'approvals', 'regional_president', { decision: 'claim_crew_pays', approved: true })).status).toBe(200);
    const done = await act(id, 'compensation', 'assistant', claim('crew'));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.remedies).toEqual([expect.objectContaining({ type: 'compensation', payer: 'crew', approvedBy: ['regional_president-1'] })]);
    const file = await served.api.call('GET', `/v1/complaints/${id}`, { token: t.supervisor });
    expect(file.body.remedies[0]).toMatchObject({ payer: 'crew', approvedBy: ['regional_president-1'] });
    expect(file.body.history.find((h: { type: string }) => h.type === 'compensation').data).toMatchObject({ payer: 'crew' });
  });

  it('the company pays: the crew’s approval does not do, the regional president may not approve it, the VP does', async () => {
    const id = await open();
    await act(id, 'approval-requests', 'assistant', { decision: 'claim_crew_pays' });
    await act(id, 'approvals', 'regional_president', { decision: 'claim_crew_pays', approved: true });
    const before = (await state(id)).remedies.length;
    const refused = await act(id, 'compensation', 'assistant', claim('company'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('APPROVAL_REQUIRED');
    expect((await state(id)).remedies).toHaveLength(before);
    expect((await act(id, 'approval-requests', 'assistant', { decision: 'claim_company_pays' })).status).toBe(200);
    const rp = await act(id, 'approvals', 'regional_president', { decision: 'claim_company_pays', approved: true });
    expect(rp.status).toBe(403);
    expect(rp.body.error.code).toBe('ROLE_NOT_ALLOWED');
    expect((await state(id)).approvals.filter((a) => a.decision === 'claim_company_pays')).toEqual([]);
    expect((await act(id, 'approvals', 'vp', { decision: 'claim_company_pays', approved: true })).status).toBe(200);
    const done = await act(id, 'compensation', 'assistant', claim('company'));
    expect(done.status).toBe(200);
    expect(done.body.remedies).toEqual([expect.objectContaining({ payer: 'company', approvedBy: ['vp-1'] })]);
  });

  it('a running case asked without the field keeps today’s rule: either claim decision answers', async () => {
    const id = await open();
    const handle = w.env.client.workflow.getHandle(complaintWorkflowId(id));
    const rp = { sub: 'rp-old', roles: ['regional_president' as const] };
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: rp, decision: 'claim_crew_pays', approved: true, role: 'regional_president' }] });
    const s = await handle.executeUpdate(compensationUpdate, {
      args: [{ actor: { sub: 'a-old', roles: ['assistant'] }, type: 'compensation', defect: 'D-1', amount: 400 }],
    });
    expect(s.remedies).toEqual([expect.objectContaining({ type: 'compensation', approvedBy: ['rp-old'] })]);
    expect(s.remedies[0]!.payer).toBeUndefined();
  });
});
