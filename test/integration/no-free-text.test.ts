// People's words stay in MongoDB: a whole scenario through the api, then every workflow history it made is exported and searched.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { complaintWorkflowId } from '../../workflows/complaint.messages';
import { contractWorkflowId } from '../../workflows/contract.messages';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';

let api: Awaited<ReturnType<typeof serve>>;
const w = useCaseWorld('dev');
const t: Record<string, string> = {};
/** Every free text of the scenario carries this marker, so one search finds any of it. */
const MARK = `zqx${randomUUID().slice(0, 6)}`;
const said = (what: string) => `${what} ${MARK}`;

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  t.assistant = await token(['assistant'], { sub: 'a-1', branch: 'north' });
  t.branch = await token(['branch'], { sub: 'b-1', branch: 'north' });
  for (const role of ['supervisor', 'vp'] as const) t[role] = await token([role], { sub: `${role}-1` });
});

afterAll(async () => {
  await api?.close();
});

/** All text a history holds: every payload decoded, every string field, the start's summary and memo included. */
function historyText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) historyText(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) historyText(v, out);
  return out;
}

describe('no customer or staff text in Temporal', () => {
  it('keeps notes, feedback, category, description and names in MongoDB; no workflow history holds any of them', async () => {
    const act = async (id: string, action: string, who: string, body: Record<string, unknown>) => {
      const res = await api.call('POST', `/v1/complaints/${id}/${action}`, { token: t[who], body });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    };
    const opened = await api.call('POST', '/v1/complaints', {
      token: t.assistant,
      body: {
        kind: 'customer',
        source: 'phone',
        branch: 'north',
        complainant: { name: said('Customer'), phone: '13712345678' },
        category: said('tiles'),
        description: said('the kitchen tiles cracked'),
      },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    await act(id, 'acknowledge', 'assistant', { notes: said('called back') });
    await act(id, 'triage', 'supervisor', { severity: 'general', priority: 'high', valid: true, notes: said('looks valid') });
    await act(id, 'feedback', 'branch', { cause: said('bad batch'), action: said('replace'), responsible: said('crew 7') });
    await act(id, 'approvals', 'vp', { decision: 'refund_deposit_measured', approved: true, notes: said('approved, loyal customer') });
    await act(id, 'compensation', 'assistant', { type: 'refund', defect: said('tiles'), amount: 300, notes: said('refund sent') });
    await act(id, 'pause', 'assistant', { notes: said('customer travelling') });
    await act(id, 'resume', 'assistant', { notes: said('back home') });
    await act(id, 'follow-up', 'assistant', { customerSatisfied: true, notes: said('happy now') });
    await act(id, 'close', 'assistant', { notes: said('done') });

    const contractNo = `HZ-${randomUUID().slice(0, 8)}`;
    const registered = await api.call('POST', '/v1/contracts', {
      token: t.assistant,
      body: {
        contractNo,
        branch: 'north',
        customer: { name: said('Owner'), phone: '13912345678' },
        address: said('Room 501'),
        contractSignedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        plannedCompletionAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      },
    });
    expect(registered.status).toBe(201);
    const callbackId = `${contractNo}.after_signing.1`;
    await expect.poll(async () => (await w.db.models.Callback.findById(callbackId).lean())?.status).toBe('due');
    const outcome = await api.call('POST', `/v1/callbacks/${callbackId}/outcome`, {
      token: t.assistant,
      body: {
        result: 'problem',
        notes: said('customer upset'),
        problem: { category: said('noise'), description: said('drilling at night'), severity: 'general' },
      },
    });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    const problemId = outcome.body.complaintId as string;

    // Every history the scenario made, exported from Temporal and decoded.
    const workflowIds = [complaintWorkflowId(id), complaintWorkflowId(problemId), contractWorkflowId(contractNo)];
    for (const workflowId of workflowIds) {
      const handle = w.env.client.workflow.getHandle(workflowId);
      // Intake answers before a worker records the opening: wait until the case has run its first task.
      await expect.poll(async () => (await handle.fetchHistory()).events?.length ?? 0, { timeout: 60_000 }).toBeGreaterThan(3);
      const history = await handle.fetchHistory();
      const leaks = historyText(history).filter((s) => s.includes(MARK));
      expect(leaks, workflowId).toEqual([]);
    }

    // The words are where staff read them: the case file joins every action's text back from MongoDB.
    const file = await api.call('GET', `/v1/complaints/${id}`, { token: t.supervisor });
    const data = (type: string) => file.body.history.find((h: { type: string }) => h.type === type)?.data;
    expect(data('acknowledged')).toMatchObject({ notes: said('called back') });
    expect(data('triaged')).toMatchObject({ notes: said('looks valid') });
    expect(data('feedback')).toMatchObject({ cause: said('bad batch'), action: said('replace'), responsible: said('crew 7') });
    expect(data('approval')).toMatchObject({ notes: said('approved, loyal customer'), approved: true });
    expect(data('compensation')).toMatchObject({ notes: said('refund sent'), approvedBy: ['vp-1'], defect: said('tiles') });
    expect(file.body.remedies[0]).toMatchObject({ type: 'refund', defect: said('tiles') });
    expect(data('closed')).toMatchObject({ notes: said('done') });
    expect(file.body.category).toBe(said('tiles'));
    expect(JSON.stringify(file.body.history)).not.toContain('"ref"');
    expect(await w.db.models.ActionText.countDocuments({ caseId: contractNo })).toBe(1);
  });
});
