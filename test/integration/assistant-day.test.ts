// An assistant's day through the API only: worklist, assignment, calls, notes, outcomes; another branch sees none of it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token, type HttpResult } from '../support/http';

const w = useCaseWorld('dev');
let api: Awaited<ReturnType<typeof serve>>;
const t: Record<string, string> = {};
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const contractNo = `HZ-${randomUUID().slice(0, 8)}`;
const phone = `1390${String(Date.now()).slice(-7)}`;
let complaintId = '';

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  t.zhang = await token(['assistant'], { sub: 'asst-zhang', branch: 'north' });
  t.li = await token(['assistant'], { sub: 'asst-li', branch: 'north' });
  t.south = await token(['assistant'], { sub: 'asst-south', branch: 'south' });
  t.supervisor = await token(['supervisor'], { sub: 'sup-north', branch: 'north' });
  t.branch = await token(['branch'], { sub: 'gm-north', branch: 'north' });
  t.hr = await token(['hr'], { sub: 'hr-1' });
});
afterAll(async () => {
  await api?.close();
});

const get = (path: string, who: string) => api.call('GET', path, { token: t[who] });
const post = (path: string, who: string, body: unknown, headers: Record<string, string> = {}) => api.call('POST', path, { token: t[who], body, headers });
const ok = (r: HttpResult, status = 200) => {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};

/** The worklist once it says what `until` waits for (the read model follows each step's write). */
async function worklist(who: string, query = '', until: (items: any[]) => boolean = () => true): Promise<any[]> {
  for (let i = 0; ; i++) {
    const items = ok(await get(`/v1/worklist${query}`, who)).items as any[];
    if (until(items) || i === 100) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const ofCase = (items: any[], id: string) => items.filter((i) => i.caseId === id);
const kinds = (items: any[]) => items.map((i) => i.kind).sort();

describe("an assistant's day", () => {
  it('starts with a call due on a new contract and the first callback of a new complaint, customer shown', async () => {
    ok(
      await post('/v1/contracts', 'zhang', {
        contractNo,
        branch: 'north',
        customer: { name: 'Wang Fang', phone },
        address: '12 Lake Road, Hangzhou',
        designer: 'Designer Chen',
        siteSupervisor: 'Supervisor Zhou',
        foreman: 'Foreman Wu',
        contractSignedAt: ago(8),
        plannedCompletionAt: new Date(Date.now() + 60 * DAY).toISOString(),
      }),
      201,
    );
    const opened = ok(
      await post('/v1/complaints', 'zhang', {
        kind: 'customer',
        source: 'phone',
        branch: 'north',
        contractNo,
        complainant: { name: 'Wang Fang', phone },
        category: 'quality',
        description: 'Cracked tiles in the kitchen',
        location: 'Kitchen',
        occurredAt: ago(2),
        severity: 'general',
        priority: 'high',
      }),
      201,
    );
    complaintId = opened.id;
    const items = await worklist('zhang', '', (i) => ofCase(i, contractNo).length + ofCase(i, complaintId).length === 2);
    const call = ofCase(items, contractNo)[0];
    expect(call).toMatchObject({
      kind: 'callback',
      callbackKind: 'after_signing',
      branch: 'north',
      customer: { name: 'Wang Fang', phone },
      action: `POST /v1/callbacks/${call.callbackId}/outcome`,
      overdue: true,
    });
    expect(call.lateMs).toBeGreaterThan(0);
    expect(ofCase(items, complaintId)[0]).toMatchObject({
      kind: 'first_callback',
      customer: { name: 'Wang Fang', phone },
      action: `POST /v1/complaints/${complaintId}/acknowledge`,
    });
    const dues = items.map((i) => i.dueAt);
    expect([...dues].sort()).toEqual(dues);
  });

  it('shows none of it to another branch’s assistant, nor to a role that has nothing to do, and refuses them the case', async () => {
    expect(ofCase(await worklist('south'), contractNo)).toEqual([]);
    expect(ofCase(await worklist('south'), complaintId)).toEqual([]);
    expect(await worklist('hr', '?assignee=all')).toEqual([]);
    expect((await post(`/v1/contracts/${contractNo}/notes`, 'south', { type: 'note', text: 'peek' })).status).toBe(404);
    expect((await post(`/v1/complaints/${complaintId}/assignee`, 'supervisor', { assignee: 'asst-li' })).status).toBe(200);
    expect(await w.db.models.CaseNote.countDocuments({ caseId: contractNo })).toBe(0);
  });

  it('lets the supervisor give the call to Zhang: Li no longer sees it, Zhang finds it under assignee=me', async () => {
    const callItem = ofCase(await worklist('zhang'), contractNo)[0];
    expect((await post(`/v1/callbacks/${callItem.callbackId}/assignee`, 'zhang', { assignee: 'asst-zhang' })).status).toBe(403);
    const first = ok(await post(`/v1/callbacks/${callItem.callbackId}/assignee`, 'supervisor', { assignee: 'asst-zhang' }));
    expect(first).toMatchObject({ target: `callback:${callItem.callbackId}`, assignee: 'asst-zhang', items: 1 });
    // Naturally idempotent: the same assignment again is the same assignment.
    expect(ok(await post(`/v1/callbacks/${callItem.callbackId}/assignee`, 'supervisor', { assignee: 'asst-zhang' }))).toEqual(first);
    expect(ofCase(await worklist('li'), contractNo)).toEqual([]);
    const mine = await worklist('zhang', '?assignee=me');
    expect(mine.map((i) => i.caseId)).toEqual([contractNo]);
    expect(mine[0].assignee).toBe('asst-zhang');
    // The complaint went to Li (previous test): Zhang's default list no longer holds it, Li's does.
    expect(ofCase(await worklist('zhang'), complaintId)).toEqual([]);
    // Li holds its first callback and the answer promised to the customer within 24 h.
    expect(kinds(ofCase(await worklist('li'), complaintId))).toEqual(['customer_answer', 'first_callback']);
    expect((await post(`/v1/callbacks/${callItem.callbackId}/assignee`, 'supervisor', { assignee: 'bad id!' })).status).toBe(400);
  });

  it('logs a missed call attempt and a note, then records the call’s outcome: the call leaves the worklist', async () => {
    const attempt = { type: 'call_attempt', reached: false, text: 'No answer at 9:10' };
    const created = await post(`/v1/contracts/${contractNo}/notes`, 'zhang', attempt, { 'idempotency-key': 'attempt-0001' });
    expect(created.status).toBe(201);
    const again = await post(`/v1/contracts/${contractNo}/notes`, 'zhang', attempt, { 'idempotency-key': 'attempt-0001' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect((await post(`/v1/contracts/${contractNo}/notes`, 'zhang', { type: 'note' })).status).toBe(422);
    expect((await post(`/v1/contracts/${contractNo}/notes`, 'zhang', { type: 'call_attempt' })).body.error.details[0]).toMatchObject({
      field: 'reached',
      rule: 'required_for_call_attempt',
    });
    ok(await post(`/v1/complaints/${complaintId}/notes`, 'li', { type: 'note', text: 'Customer prefers calls after 6 pm' }), 201);
    expect(await w.db.models.CaseNote.countDocuments({ caseId: contractNo })).toBe(1);

    // Who is on the phone: the number as the customer says it finds the contract and the complaint.
    const found = ok(await get(`/v1/customers?phone=${encodeURIComponent(`+86 ${phone.slice(0, 3)}-${phone.slice(3)}`)}`, 'zhang'));
    expect(found.contracts).toEqual([{ contractNo, branch: 'north', phase: 'signed', customer: { name: 'Wang Fang', phone } }]);
    expect(found.complaints.map((c: any) => c.id)).toEqual([complaintId]);
    expect(ok(await get(`/v1/customers?phone=${phone}`, 'south'))).toEqual({ contracts: [], complaints: [] });
    expect((await get(`/v1/customers?phone=${phone}`, 'hr')).status).toBe(403);
    expect((await get('/v1/customers?phone=call-me', 'zhang')).status).toBe(400);

    const callItem = ofCase(await worklist('zhang', '?assignee=me'), contractNo)[0];
    ok(await post(callItem.action.replace('POST ', ''), 'zhang', { result: 'satisfied', notes: 'Work started as agreed' }));
    expect(ofCase(await worklist('zhang', '?assignee=all', (i) => ofCase(i, contractNo).length === 0), contractNo)).toEqual([]);

    const file = ok(await get(`/v1/contracts/${contractNo}`, 'zhang'));
    expect(file).toMatchObject({
      address: '12 Lake Road, Hangzhou',
      designer: 'Designer Chen',
      siteSupervisor: 'Supervisor Zhou',
      foreman: 'Foreman Wu',
      customer: { name: 'Wang Fang', phone },
      notes: [{ type: 'call_attempt', reached: false, text: 'No answer at 9:10', by: 'asst-zhang' }],
    });
    const call = file.callbacks.find((c: any) => c.id === callItem.callbackId);
    expect(call).toMatchObject({
      status: 'done',
      outcome: 'satisfied',
      calls: [{ type: 'callback_outcome', result: 'satisfied', notes: 'Work started as agreed', by: 'asst-zhang' }],
    });
  });

  it('works the complaint through its steps: each step’s owner sees it, and it empties once closed', async () => {
    ok(await post(`/v1/complaints/${complaintId}/acknowledge`, 'li', { notes: 'Called back' }));
    const feedback = ofCase(await worklist('branch', '', (i) => ofCase(i, complaintId).length === 1), complaintId)[0];
    expect(feedback).toMatchObject({ kind: 'branch_feedback', roles: ['branch'], action: `POST /v1/complaints/${complaintId}/feedback` });
    // Li's only item left is the answer owed to the customer; the follow-up that reaches them gives it.
    expect(kinds(ofCase(await worklist('li'), complaintId))).toEqual(['customer_answer']);
    ok(await post(`/v1/complaints/${complaintId}/feedback`, 'branch', { cause: 'Bad batch of tiles', action: 'Replace tiles', responsible: 'Supplier' }));
    const followUp = ofCase(await worklist('li', '?kind=follow_up', (i) => ofCase(i, complaintId).length === 1), complaintId)[0];
    // A reached follow-up answers the customer: its item settles with it (below, the list empties once closed).
    expect(followUp).toMatchObject({ kind: 'follow_up', assignee: 'asst-li', overdue: false, lateMs: 0 });
    ok(await post(`/v1/complaints/${complaintId}/follow-up`, 'li', { customerSatisfied: true }));
    const close = ofCase(await worklist('li', '', (i) => ofCase(i, complaintId)[0]?.kind === 'close_case'), complaintId)[0];
    expect(close.action).toBe(`POST /v1/complaints/${complaintId}/close`);
    ok(await post(`/v1/complaints/${complaintId}/close`, 'li', {}));
    expect(ofCase(await worklist('li', '?assignee=all', (i) => ofCase(i, complaintId).length === 0), complaintId)).toEqual([]);
    expect(ofCase(await worklist('supervisor', '?assignee=all'), complaintId)).toEqual([]);

    const file = ok(await get(`/v1/complaints/${complaintId}`, 'li'));
    expect(file).toMatchObject({
      status: 'closed',
      description: 'Cracked tiles in the kitchen',
      location: 'Kitchen',
      category: 'quality',
      contractNo,
      assignee: 'asst-li',
      complainant: { name: 'Wang Fang', phone },
      notes: [{ type: 'note', text: 'Customer prefers calls after 6 pm', by: 'asst-li' }],
      // The survey task exists from the closing, due within a week.
      tasks: [expect.objectContaining({ type: 'satisfaction_survey', status: 'due' })],
    });
    expect(Date.parse(file.occurredAt)).toBeLessThan(Date.now());
  });

  it('lists contracts and complaints with the filters an assistant needs', async () => {
    const contracts = ok(await get('/v1/contracts?phase=signed&overdue=false&limit=100', 'zhang'));
    expect(contracts.items.map((c: any) => c.contractNo)).toContain(contractNo);
    expect(ok(await get('/v1/contracts?overdue=true', 'zhang')).items.map((c: any) => c.contractNo)).not.toContain(contractNo);
    expect(ok(await get('/v1/contracts', 'south')).items.map((c: any) => c.contractNo)).not.toContain(contractNo);
    const byContract = ok(await get(`/v1/complaints?contract=${contractNo}&status=open,closed&kind=customer&owner=asst-li`, 'li'));
    expect(byContract.items.map((c: any) => c.id)).toEqual([complaintId]);
    expect(ok(await get(`/v1/complaints?contract=${contractNo}&status=open,paused`, 'li')).items).toEqual([]);
    expect(ok(await get(`/v1/complaints?contract=${contractNo}&owner=me`, 'zhang')).items).toEqual([]);
    const from = ago(1);
    expect(ok(await get(`/v1/complaints?contract=${contractNo}&openedFrom=${encodeURIComponent(from)}`, 'li')).items).toHaveLength(1);
    const refused = await get(`/v1/complaints?openedFrom=${encodeURIComponent(from)}&openedTo=${encodeURIComponent(ago(2))}`, 'li');
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({ field: 'query.openedTo', rule: 'after_opened_from' });
    expect((await get('/v1/complaints?status=open,nonsense', 'li')).status).toBe(400);
    // A closed case has no running deadline: sorted by due time, it is not listed.
    expect(ok(await get(`/v1/complaints?contract=${contractNo}&sort=due`, 'li')).items).toEqual([]);
  });

  it('pages the worklist with a stable cursor and refuses a forged one', async () => {
    expect((await get('/v1/worklist?cursor=bm90LWEtY3Vyc29y', 'zhang')).status).toBe(422);
    expect((await get('/v1/worklist?kind=nonsense', 'zhang')).status).toBe(400);
  });
});
