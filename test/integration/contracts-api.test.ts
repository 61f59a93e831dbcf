import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { complaintIdFor, createComplaintService } from '../../api/services/complaints.service';
import { CONTRACT_WORKFLOW, contractWorkflowId } from '../../workflows/contract.messages';
import { useCaseWorld } from '../support/harness';
import { HOUR, POLICY } from '../support/fixtures';
import { serve, testAppDeps, token } from '../support/http';

let api: Awaited<ReturnType<typeof serve>>;
const w = useCaseWorld('dev');
const tokens: Record<string, string> = {};
const DAY = 24 * HOUR;

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  for (const role of ['assistant', 'supervisor', 'director', 'legal', 'executive', 'vp', 'branch', 'hr', 'admin'] as const) {
    // Branch-scoped roles carry their branches; central roles need none.
    tokens[role] = await token([role], role === 'branch' ? { branch: 'north' } : role === 'assistant' ? { branches: ['north', 'south'] } : {});
  }
});

afterAll(async () => {
  await api?.close();
});

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();
/** The same instant written in China time, e.g. 2026-12-07T09:00:00.000+08:00. */
const inChinaTime = (isoZ: string) => new Date(Date.parse(isoZ) + 8 * HOUR).toISOString().replace('Z', '+08:00');

let phoneSeq = 0;
function project(patch: Record<string, unknown> = {}) {
  return {
    contractNo: `HZ-${randomUUID().slice(0, 8)}`,
    branch: 'north',
    customer: { name: 'Test Customer', phone: `1390000${String(1000 + phoneSeq++)}` },
    address: 'Building 3, Unit 2, Room 501',
    designer: 'Designer Wang',
    siteSupervisor: 'Supervisor Li',
    // Signed a month ago: the after-signing call (5 days, moved past weekends and holidays) is already due.
    contractSignedAt: ago(30),
    plannedCompletionAt: ahead(60),
    warrantyMonths: 12,
    ...patch,
  };
}

async function register(body: Record<string, unknown>, role = 'assistant') {
  return api.call('POST', '/v1/contracts', { token: tokens[role], body });
}

async function milestone(contractNo: string, body: Record<string, unknown>, opts: { role?: string; key?: string } = {}) {
  return api.call('POST', `/v1/contracts/${contractNo}/milestones`, {
    token: tokens[opts.role ?? 'branch'],
    body,
    headers: opts.key ? { 'idempotency-key': opts.key } : {},
  });
}

async function outcome(id: string, body: Record<string, unknown>, opts: { role?: string; key?: string } = {}) {
  return api.call('POST', `/v1/callbacks/${id}/outcome`, {
    token: tokens[opts.role ?? 'assistant'],
    body,
    headers: opts.key ? { 'idempotency-key': opts.key } : {},
  });
}

const fields = (res: { body: any }) => res.body.error.details.map((d: { field: string }) => d.field);
const finished = (contractNo: string) => w.env.client.workflow.getHandle(contractWorkflowId(contractNo)).result();
const problem = { description: 'Water leaks under the kitchen sink', category: 'plumbing', severity: 'general' };

describe('POST /v1/contracts', () => {
  it('registers a contract (201), a repeat with the same body answers 200, and no personal data goes to Temporal', async () => {
    const body = project();
    const first = await register(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ contractNo: body.contractNo, phase: 'signed' });
    expect(first.headers.get('location')).toBe(`/v1/contracts/${body.contractNo}`);

    const again = await register(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ contractNo: body.contractNo, phase: 'signed' });
    // The same instants written with another offset are the same registration.
    const sameInChinaTime = await register({
      ...body,
      contractSignedAt: inChinaTime(body.contractSignedAt),
      plannedCompletionAt: inChinaTime(body.plannedCompletionAt),
    });
    expect(sameInChinaTime.status).toBe(200);

    const doc = await w.db.models.Contract.findById(body.contractNo).lean();
    expect(doc).toMatchObject({
      branch: 'north',
      customer: body.customer,
      address: body.address,
      warrantyMonths: 12,
      policyVersion: POLICY.version,
      createdBy: 'staff-assistant',
    });
    const handle = w.env.client.workflow.getHandle(contractWorkflowId(body.contractNo));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe(CONTRACT_WORKFLOW);
    const history = await handle.fetchHistory();
    const input = Buffer.from(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString('utf8');
    expect(input).toContain(body.contractNo);
    expect(input).toContain(`"version":"${POLICY.version}"`);
    expect(input).not.toContain(body.customer.phone);
    expect(input).not.toContain(body.customer.name);
    expect(input).not.toContain(body.address);
  });

  it('takes the warranty length from the policy when the body leaves it out', async () => {
    const { warrantyMonths: _omitted, ...body } = project();
    expect((await register(body)).status).toBe(201);
    expect((await w.db.models.Contract.findById(body.contractNo).lean())!.warrantyMonths).toBe(POLICY.callbacks.defaultWarrantyMonths);
    const view = await api.call('GET', `/v1/contracts/${body.contractNo}`, { token: tokens.assistant });
    expect(view.body.warrantyMonths).toBe(POLICY.callbacks.defaultWarrantyMonths);
    // Leaving it out and sending the default are the same registration.
    expect((await register({ ...body, warrantyMonths: POLICY.callbacks.defaultWarrantyMonths })).status).toBe(200);
  });

  it('refuses a different body for a registered contract (409 CONTRACT_CONFLICT) and keeps the first', async () => {
    const body = project();
    expect((await register(body)).status).toBe(201);
    const other = await register({ ...body, plannedCompletionAt: ahead(90) });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONTRACT_CONFLICT');
    const otherCustomer = await register({ ...body, customer: { name: 'Someone Else', phone: '13912345678' } });
    expect(otherCustomer.status).toBe(409);
    expect((await w.db.models.Contract.findById(body.contractNo).lean())!.plannedCompletionAt.toISOString()).toBe(body.plannedCompletionAt);

    // Two different registrations racing for one contract number: exactly one wins.
    const racing = project();
    const results = await Promise.all([register(racing), register({ ...racing, customer: { name: 'Racer Two', phone: '13900009999' } })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await w.db.models.Contract.countDocuments({ _id: racing.contractNo })).toBe(1);
  });

  it('names each bad field (400)', async () => {
    const bad = await register({
      contractNo: 'x',
      branch: 'North Branch',
      customer: { name: 'Test Customer' },
      contractSignedAt: '2026-12-07T09:00:00',
      plannedCompletionAt: ahead(60),
      warrantyMonths: 300,
      extra: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(fields(bad)).toEqual(expect.arrayContaining(['contractNo', 'branch', 'customer.phone', 'contractSignedAt', 'warrantyMonths']));
    expect(fields(bad)).not.toContain('plannedCompletionAt');

    const early = await register(project({ contractSignedAt: ago(10), plannedCompletionAt: ago(11) }));
    expect(early.status).toBe(422); // a rule across fields: the shape is right (issue 15)
    expect(fields(early)).toEqual(['plannedCompletionAt']);
    const ancient = await register(project({ contractSignedAt: '0001-01-01T00:00:00Z', plannedCompletionAt: '0001-03-01T00:00:00Z' }));
    // Year 0001 is outside the business's years for both instants, and signing is also older than ten years.
    expect(new Set(fields(ancient))).toEqual(new Set(['contractSignedAt', 'plannedCompletionAt']));
    expect(fields(await register(project({ contractSignedAt: ahead(30), plannedCompletionAt: ahead(90) })))).toEqual(['contractSignedAt']);
    expect((await register(project({ warrantyMonths: 1.5 }))).status).toBe(400);
    expect((await register(project({ warrantyMonths: -1 }))).status).toBe(400);
  });

  it('needs a token (401) and one of its roles (403)', async () => {
    const body = project();
    const anonymous = await api.call('POST', '/v1/contracts', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    for (const role of ['executive', 'legal', 'hr']) {
      const res = await register(body, role);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await w.db.models.Contract.countDocuments({ _id: body.contractNo })).toBe(0);
    expect((await register(body, 'branch')).status).toBe(201);
    expect((await register(project(), 'admin')).status).toBe(201);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await api.call('GET', '/openapi.json');
    const paths = doc.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/contracts',
        '/v1/contracts/{contractNo}',
        '/v1/contracts/{contractNo}/milestones',
        '/v1/callbacks',
        '/v1/callbacks/{id}/outcome',
      ]),
    );
    expect(Object.keys(paths['/v1/contracts/{contractNo}/milestones'].post.responses)).toEqual(expect.arrayContaining(['202', '400', '404', '409']));
    expect(Object.keys(paths['/v1/callbacks/{id}/outcome'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
  });
});

describe('POST /v1/contracts/{contractNo}/milestones', () => {
  it('records work start (202), a repeat changes nothing, and impossible milestones are refused with their code', async () => {
    const body = project();
    const c = body.contractNo;
    expect((await register(body)).status).toBe(201);

    // A completion without a work start is followed (DOMAIN §1); one before signing is impossible.
    const early = await milestone(c, { type: 'completed', at: ago(31) });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MILESTONE_OUT_OF_ORDER');
    const beforeSigning = await milestone(c, { type: 'work_started', at: ago(31) });
    expect(beforeSigning.status).toBe(409);
    expect(beforeSigning.body.error.code).toBe('MILESTONE_OUT_OF_ORDER');

    const startedAt = ago(20);
    const started = await milestone(c, { type: 'work_started', at: startedAt });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ contractNo: c, phase: 'construction' });
    const events = async () => w.db.models.ContractEvent.countDocuments({ contractNo: c, type: 'milestone' });
    expect(await events()).toBe(1);

    const repeat = await milestone(c, { type: 'work_started', at: startedAt }, { role: 'assistant' });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toEqual({ contractNo: c, phase: 'construction' });
    expect(await events()).toBe(1);

    const conflict = await milestone(c, { type: 'work_started', at: ago(19) });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('MILESTONE_CONFLICT');
    const beforeStart = await milestone(c, { type: 'completed', at: ago(21) });
    expect(beforeStart.status).toBe(409);
    expect(beforeStart.body.error.code).toBe('MILESTONE_OUT_OF_ORDER');
    expect(await events()).toBe(1);

    const view = await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant });
    expect(view.body.phase).toBe('construction');
    expect(view.body.milestones.workStartedAt).toBe(startedAt);
    // Work started 20 days ago: the 10-day construction call is already due.
    expect(view.body.callbacks.map((x: { id: string }) => x.id)).toContain(`${c}.construction.1`);
  });

  it('validates the body (400 naming plannedCompletionAt), knows only registered contracts (404) and checks roles (403)', async () => {
    const body = project();
    const c = body.contractNo;
    expect((await register(body)).status).toBe(201);
    const missing = await milestone(c, { type: 'completion_date_changed', at: ago(0) });
    expect(missing.status).toBe(422);
    expect(fields(missing)).toEqual(['plannedCompletionAt']);
    const misplaced = await milestone(c, { type: 'work_started', at: ago(1), plannedCompletionAt: ahead(50) });
    expect(misplaced.status).toBe(422);
    expect(fields(misplaced)).toEqual(['plannedCompletionAt']);
    const unknownType = await milestone(c, { type: 'finished', at: ago(1) });
    expect(fields(unknownType)).toEqual(['type']);

    const newPlan = ahead(75);
    const moved = await milestone(c, { type: 'completion_date_changed', at: ago(0), plannedCompletionAt: newPlan });
    expect(moved.status).toBe(202);
    expect(moved.body.phase).toBe('signed');
    const view = await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant });
    expect(view.body.milestones.plannedCompletionAt).toBe(newPlan);

    const unknown = await milestone('HZ-unknown-1', { type: 'work_started', at: ago(1) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const south = project({ branch: 'south' });
    expect((await register(south)).status).toBe(201);
    const foreign = await milestone(south.contractNo, { type: 'work_started', at: ago(1) });
    expect(foreign.status).toBe(404);
    const legal = await milestone(c, { type: 'work_started', at: ago(1) }, { role: 'legal' });
    expect(legal.status).toBe(403);
    expect((await milestone(c, { type: 'work_started', at: ago(1) }, { role: 'admin' })).status).toBe(403);
  });

  it('refuses every milestone after cancellation (409 CONTRACT_CANCELLED), also once the schedule has finished', async () => {
    const body = project();
    const c = body.contractNo;
    expect((await register(body)).status).toBe(201);
    const cancelledAt = ago(0);
    // Cancelling is the VP's decision (authority matrix, cancel_order): the branch and the assistant are refused, nothing recorded.
    for (const role of ['branch', 'assistant']) {
      const refused = await milestone(c, { type: 'cancelled', at: cancelledAt }, { role });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('APPROVAL_REQUIRED');
    }
    expect((await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant })).body.phase).toBe('signed');
    const cancelled = await milestone(c, { type: 'cancelled', at: cancelledAt }, { role: 'vp' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toEqual({ contractNo: c, phase: 'cancelled' });
    expect(await finished(c)).toMatchObject({ phase: 'cancelled', open: [] });

    const after = await milestone(c, { type: 'work_started', at: ago(1) });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('CONTRACT_CANCELLED');
    const otherDate = await milestone(c, { type: 'cancelled', at: ago(1) }, { role: 'vp' });
    expect(otherDate.body.error.code).toBe('CONTRACT_CANCELLED');
    // The same cancellation again is a harmless repeat.
    const repeat = await milestone(c, { type: 'cancelled', at: cancelledAt }, { role: 'executive' });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toEqual({ contractNo: c, phase: 'cancelled' });

    // A repeat registration of the finished contract answers from its file and starts nothing new.
    const reregistered = await register(body);
    expect(reregistered.status).toBe(200);
    expect(reregistered.body).toEqual({ contractNo: c, phase: 'cancelled' });
    expect((await w.env.client.workflow.getHandle(contractWorkflowId(c)).describe()).status.name).toBe('COMPLETED');

    const view = await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant });
    expect(view.body.phase).toBe('cancelled');
    expect(view.body.milestones.cancelledAt).toBe(cancelledAt);
    expect(view.body.callbacks).toEqual([expect.objectContaining({ id: `${c}.after_signing.1`, status: 'cancelled' })]);
    const closedCall = await outcome(`${c}.after_signing.1`, { result: 'satisfied' });
    expect(closedCall.status).toBe(409);
    expect(closedCall.body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
  });

  it('refuses milestones once the warranty has ended and every call is done (409 CONTRACT_CLOSED)', async () => {
    // No warranty, completed 20 days ago: the contract is closed once its open calls are recorded.
    const body = project({ contractSignedAt: ago(60), plannedCompletionAt: ago(25), warrantyMonths: 0 });
    const c = body.contractNo;
    expect((await register(body)).status).toBe(201);
    expect((await milestone(c, { type: 'work_started', at: ago(50) })).body.phase).toBe('construction');
    const completedAt = ago(20);
    const completed = await milestone(c, { type: 'completed', at: completedAt });
    expect(completed.status).toBe(202);
    expect(completed.body.phase).toBe('closed');

    const view = await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant });
    const open = view.body.callbacks.filter((x: { status: string }) => ['due', 'overdue', 'escalated'].includes(x.status));
    expect(open.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([`${c}.after_signing.1`, `${c}.construction.1`, `${c}.completion.1`]));
    for (const x of open) expect((await outcome(x.id, { result: 'satisfied' })).status).toBe(200);
    expect(await finished(c)).toMatchObject({ phase: 'closed', open: [] });

    const pennant = await milestone(c, { type: 'pennant_received', at: ago(0) });
    expect(pennant.status).toBe(409);
    expect(pennant.body.error.code).toBe('CONTRACT_CLOSED');
    // A repeat of a recorded milestone is still harmless.
    const repeat = await milestone(c, { type: 'completed', at: completedAt });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toEqual({ contractNo: c, phase: 'closed' });

    // The finished schedule answers outcomes from its file: the same one again is fine, another is refused.
    const same = await outcome(`${c}.completion.1`, { result: 'satisfied' });
    expect(same.status).toBe(200);
    expect(same.body.callback).toMatchObject({ id: `${c}.completion.1`, status: 'done', outcome: 'satisfied' });
    const different = await outcome(`${c}.completion.1`, { result: 'problem', problem });
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
    expect(await w.db.models.Complaint.countDocuments({ contractNo: c })).toBe(0);
  });
});

describe('GET /v1/contracts/{contractNo}', () => {
  it('shows phase, milestones and callbacks from MongoDB; the customer only to those who call them', async () => {
    const body = project();
    const c = body.contractNo;
    expect((await register(body)).status).toBe(201);
    const res = await api.call('GET', `/v1/contracts/${c}`, { token: tokens.assistant });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      contractNo: c,
      branch: 'north',
      phase: 'signed',
      policyVersion: POLICY.version,
      warrantyMonths: 12,
      milestones: { contractSignedAt: body.contractSignedAt, plannedCompletionAt: body.plannedCompletionAt },
      customer: body.customer,
      address: body.address,
      designer: body.designer,
      siteSupervisor: body.siteSupervisor,
      callbacks: [{ id: `${c}.after_signing.1`, kind: 'after_signing', dueAt: expect.any(String), status: 'due', attempts: 0, calls: [] }],
      notes: [],
      tasks: [],
      adjustments: [],
      // Nothing else is planned until work starts.
      upcoming: [],
    });
    const due = Date.parse(res.body.callbacks[0].dueAt);
    // Five days after signing, moved forward at most past a weekend and a holiday week.
    expect(due).toBeGreaterThanOrEqual(Date.parse(body.contractSignedAt) + 5 * DAY);
    expect(due).toBeLessThan(Date.now());

    for (const role of ['supervisor', 'director', 'branch']) {
      expect((await api.call('GET', `/v1/contracts/${c}`, { token: tokens[role] })).body.customer).toEqual(body.customer);
    }
    for (const role of ['executive', 'legal', 'hr', 'admin']) {
      const hidden = await api.call('GET', `/v1/contracts/${c}`, { token: tokens[role] });
      expect(hidden.status).toBe(200);
      expect(hidden.body).not.toHaveProperty('customer');
      expect(JSON.stringify(hidden.body)).not.toContain(body.customer.phone);
      expect(hidden.body.callbacks).toHaveLength(1);
    }
  });

  it('is 404 for an unknown contract, for another branch’s contract to branch staff, and 401 without a token', async () => {
    const south = project({ branch: 'south' });
    expect((await register(south)).status).toBe(201);
    expect((await api.call('GET', `/v1/contracts/${south.contractNo}`, { token: tokens.branch })).status).toBe(404);
    const southStaff = await token(['branch'], { branch: 'south' });
    expect((await api.call('GET', `/v1/contracts/${south.contractNo}`, { token: southStaff })).status).toBe(200);
    const unknown = await api.call('GET', '/v1/contracts/HZ-unknown-2', { token: tokens.assistant });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await api.call('GET', '/v1/contracts/not a contract', { token: tokens.assistant })).status).toBe(400);
    expect((await api.call('GET', `/v1/contracts/${south.contractNo}`)).status).toBe(401);
  });
});

describe('GET /v1/callbacks', () => {
  it('filters by status, kind, branch and due date and pages in due order with an opaque cursor', async () => {
    const branch = `w-${randomUUID().slice(0, 8)}`;
    const signedAt = ago(60);
    // A and B share a due instant (well before any of C's calls), so the cursor must break the tie by id.
    const [a, b, c] = [
      project({ branch, contractSignedAt: signedAt }),
      project({ branch, contractSignedAt: signedAt }),
      project({ branch, contractSignedAt: ago(30) }),
    ];
    // The test branch is one no assistant serves: the center registers and records it.
    for (const p of [a, b, c]) expect((await register(p, 'supervisor')).status).toBe(201);
    expect((await milestone(c.contractNo, { type: 'work_started', at: ago(29) }, { role: 'supervisor' })).status).toBe(202);
    const north = project();
    expect((await register(north)).status).toBe(201);

    const expected = (await w.db.models.Callback.find({ branch }).sort({ dueAt: 1, _id: 1 }).lean()).map((d) => d._id);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await api.call('GET', `/v1/callbacks?branch=${branch}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: tokens.supervisor,
      });
      expect(res.status).toBe(200);
      pages.push(res.body.items.map((x: { id: string }) => x.id));
      cursor = res.body.nextCursor;
      expect(pages.length).toBeLessThan(20);
    } while (cursor);
    expect(pages.flat()).toEqual(expected);
    expect(pages.length).toBe(Math.ceil(expected.length / 2));
    const ab = [`${a.contractNo}.after_signing.1`, `${b.contractNo}.after_signing.1`].sort();
    expect(pages.flat().slice(0, 2)).toEqual(ab);

    const first = await api.call('GET', `/v1/callbacks?branch=${branch}&limit=1`, { token: tokens.supervisor });
    expect(first.body.items[0]).toEqual({
      id: ab[0],
      contractNo: ab[0]!.split('.')[0],
      branch,
      kind: 'after_signing',
      dueAt: expect.any(String),
      status: 'due',
      attempts: 0,
    });
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);

    const construction = await api.call('GET', `/v1/callbacks?branch=${branch}&kind=construction`, { token: tokens.supervisor });
    expect(construction.body.items.length).toBeGreaterThanOrEqual(1);
    expect(construction.body.items.every((x: { kind: string; contractNo: string }) => x.kind === 'construction' && x.contractNo === c.contractNo)).toBe(true);
    expect(construction.body.items).toHaveLength(await w.db.models.Callback.countDocuments({ branch, kind: 'construction' }));

    const cSigning = await w.db.models.Callback.findById(`${c.contractNo}.after_signing.1`).lean();
    const before = await api.call('GET', `/v1/callbacks?branch=${branch}&dueBefore=${encodeURIComponent(cSigning!.dueAt.toISOString())}`, {
      token: tokens.supervisor,
    });
    const beforeIds = before.body.items.map((x: { id: string }) => x.id);
    expect(beforeIds).toEqual(expect.arrayContaining(ab));
    expect(beforeIds).not.toContain(cSigning!._id);
    expect(before.body.items.every((x: { dueAt: string }) => x.dueAt < cSigning!.dueAt.toISOString())).toBe(true);

    expect((await outcome(ab[0]!, { result: 'satisfied' }, { role: 'supervisor' })).status).toBe(200);
    const done = await api.call('GET', `/v1/callbacks?branch=${branch}&status=done`, { token: tokens.supervisor });
    expect(done.body.items).toEqual([expect.objectContaining({ id: ab[0], status: 'done', outcome: 'satisfied' })]);
    const open = await api.call('GET', `/v1/callbacks?branch=${branch}&status=due`, { token: tokens.supervisor });
    expect(open.body.items.map((x: { id: string }) => x.id)).toEqual(expected.filter((id) => id !== ab[0]));

    // Branch staff see their own branch only: asking for another gets nothing.
    const scoped = await api.call('GET', `/v1/callbacks?branch=${branch}&limit=100`, { token: tokens.branch });
    expect(scoped.status).toBe(200);
    expect(scoped.body.items).toEqual([]);
    const everything = await api.call('GET', `/v1/callbacks?limit=100&dueBefore=${encodeURIComponent(ahead(1))}`, { token: tokens.branch });
    expect(everything.body.items.map((x: { id: string }) => x.id)).toContain(`${north.contractNo}.after_signing.1`);
    expect(everything.body.items.some((x: { branch: string }) => x.branch !== 'north')).toBe(false);
  });

  it('refuses a forged cursor, a bad filter and an oversized page (400)', async () => {
    const forged = await api.call('GET', '/v1/callbacks?cursor=bm90LWEtY3Vyc29y', { token: tokens.assistant });
    expect(forged.status).toBe(422); // well-formed, but not a cursor this API issued
    expect(fields(forged)).toEqual(['cursor']);
    const bad = await api.call('GET', '/v1/callbacks?status=late&kind=visit&dueBefore=tomorrow&limit=101', { token: tokens.assistant });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['query.status', 'query.kind', 'query.dueBefore', 'query.limit']));
    const page = await api.call('GET', '/v1/callbacks', { token: tokens.assistant });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(20);
  });
});

describe('POST /v1/callbacks/{id}/outcome', () => {
  it('records satisfied (200); the same again is fine, a different outcome is refused (409)', async () => {
    const body = project();
    const id = `${body.contractNo}.after_signing.1`;
    expect((await register(body)).status).toBe(201);
    const res = await outcome(id, { result: 'satisfied', notes: 'Work starts next week as agreed' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      callback: {
        id,
        contractNo: body.contractNo,
        branch: 'north',
        kind: 'after_signing',
        dueAt: expect.any(String),
        status: 'done',
        outcome: 'satisfied',
        attempts: 0,
      },
    });
    const again = await outcome(id, { result: 'satisfied' });
    expect(again.status).toBe(200);
    expect(again.body.callback).toEqual(res.body.callback);
    const other = await outcome(id, { result: 'not_reached' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
    // A problem found after the call was closed opens no complaint that nothing would link.
    const late = await outcome(id, { result: 'problem', problem });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
    expect(await w.db.models.Complaint.countDocuments({ contractNo: body.contractNo })).toBe(0);
    expect(await w.db.models.ContractEvent.countDocuments({ contractNo: body.contractNo, type: 'callback_outcome' })).toBe(1);
    expect(await w.db.models.Callback.findById(id).lean()).toMatchObject({ status: 'done', outcome: 'satisfied' });
  });

  it('retries an unreached customer later: a second try before then is 409 CALLBACK_NOT_DUE, an Idempotency-Key repeat is safe', async () => {
    const second = project();
    const sid = `${second.contractNo}.after_signing.1`;
    expect((await register(second)).status).toBe(201);
    const retryKey = `nr-${randomUUID()}`;
    const nr = await outcome(sid, { result: 'not_reached' }, { key: retryKey });
    expect(nr.status).toBe(200);
    expect(nr.body.callback).toMatchObject({ id: sid, status: 'due', attempts: 1 });
    expect(nr.body.callback).not.toHaveProperty('outcome');
    expect(Date.parse(nr.body.callback.dueAt)).toBeGreaterThan(Date.now() + 23 * HOUR);
    const repeat = await outcome(sid, { result: 'not_reached' }, { key: retryKey });
    expect(repeat.status).toBe(200);
    expect(repeat.body.callback.attempts).toBe(1);
    const tooSoon = await outcome(sid, { result: 'not_reached' });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.code).toBe('CALLBACK_NOT_DUE');
    expect((await w.db.models.Callback.findById(sid).lean())!.attempts).toBe(1);
  });

  it('opens a complaint through the complaint intake for a problem, and a retry never opens a second one', async () => {
    const body = project();
    const c = body.contractNo;
    const id = `${c}.after_signing.1`;
    expect((await register(body)).status).toBe(201);
    const res = await outcome(id, { result: 'problem', notes: 'Customer upset', problem });
    expect(res.status).toBe(200);
    expect(res.body.complaintId).toMatch(/^C-[0-9a-f]{16}$/);
    expect(res.body.complaintId).toBe(complaintIdFor(`callback-problem:${id}`, 'callback'));
    expect(res.body.callback).toMatchObject({ id, status: 'done', outcome: 'problem', complaintId: res.body.complaintId });

    const complaint = await api.call('GET', `/v1/complaints/${res.body.complaintId}`, { token: tokens.assistant });
    expect(complaint.status).toBe(200);
    expect(complaint.body).toMatchObject({
      kind: 'customer',
      source: 'callback',
      contractNo: c,
      branch: 'north',
      category: 'plumbing',
      severity: 'general',
      status: 'open',
      complainant: { name: body.customer.name, phone: body.customer.phone, anonymous: false },
    });
    expect((await w.db.models.Complaint.findById(res.body.complaintId).lean())!.description).toBe(problem.description);

    const retry = await outcome(id, { result: 'problem', problem });
    expect(retry.status).toBe(200);
    expect(retry.body.complaintId).toBe(res.body.complaintId);
    expect(retry.body.callback).toMatchObject({ id, outcome: 'problem', complaintId: res.body.complaintId });
    expect(await w.db.models.Complaint.countDocuments({ contractNo: c })).toBe(1);
    const satisfiedNow = await outcome(id, { result: 'satisfied' });
    expect(satisfiedNow.status).toBe(409);
    expect(satisfiedNow.body.error.code).toBe('OUTCOME_ALREADY_RECORDED');
  });

  it('reuses the complaint a crashed first attempt opened before the outcome was recorded', async () => {
    const body = project();
    const c = body.contractNo;
    const id = `${c}.after_signing.1`;
    expect((await register(body)).status).toBe(201);
    // What the first attempt did before it crashed: the intake ran under the callback's own (system) key.
    const intake = createComplaintService({
      client: w.env.client,
      models: w.db.models,
      policy: POLICY,
      taskQueue: w.taskQueue,
      indexedAttributes: async () => [],
    });
    const complaintBody = {
      kind: 'customer',
      source: 'callback',
      contractNo: c,
      branch: 'north',
      complainant: { ...body.customer, anonymous: false },
      category: problem.category,
      description: problem.description,
      severity: 'general',
    } as const;
    const first = await intake.open(
      complaintBody,
      { sub: 'staff-assistant', name: 'Test Staff', roles: ['assistant'], branch: 'north' },
      `callback-problem:${id}`,
      'callback',
    );
    const opened = { status: first.created ? 201 : 200, body: first.body };
    expect(opened.status).toBe(201);
    // A client sending the same text as its own Idempotency-Key gets a complaint of its own, never the system's.
    const client = await api.call('POST', '/v1/complaints', {
      token: tokens.assistant,
      headers: { 'idempotency-key': `callback-problem:${id}` },
      body: complaintBody,
    });
    expect(client.body.id).not.toBe(opened.body.id);
    await w.db.models.Complaint.deleteOne({ _id: client.body.id });
    expect((await w.db.models.Callback.findById(id).lean())!.status).toBe('due');

    const res = await outcome(id, { result: 'problem', problem });
    expect(res.status).toBe(200);
    expect(res.body.complaintId).toBe(opened.body.id);
    expect(await w.db.models.Complaint.countDocuments({ contractNo: c })).toBe(1);
    expect(await w.db.models.Callback.findById(id).lean()).toMatchObject({ status: 'done', outcome: 'problem', complaintId: opened.body.id });
  });

  it('validates the body (400 naming problem), knows only existing callbacks (404) and checks roles (403)', async () => {
    const body = project();
    const id = `${body.contractNo}.after_signing.1`;
    expect((await register(body)).status).toBe(201);
    const noProblem = await outcome(id, { result: 'problem' });
    expect(noProblem.status).toBe(422);
    expect(fields(noProblem)).toEqual(['problem']);
    const stray = await outcome(id, { result: 'satisfied', problem });
    expect(stray.status).toBe(422);
    expect(fields(stray)).toEqual(['problem']);
    const incomplete = await outcome(id, { result: 'problem', problem: { description: 'Leak', severity: 'bad' } });
    expect(fields(incomplete)).toEqual(expect.arrayContaining(['problem.category', 'problem.severity']));
    expect((await outcome(id, { result: 'maybe' })).status).toBe(400);

    const unknown = await outcome(`${body.contractNo}.warranty.1`, { result: 'satisfied' });
    expect(unknown.status).toBe(404);
    expect((await outcome('not-a-callback', { result: 'satisfied' })).status).toBe(400);
    for (const role of ['branch', 'executive', 'admin']) {
      const res = await outcome(id, { result: 'satisfied' }, { role });
      expect(res.status).toBe(403);
    }
    expect((await w.db.models.Callback.findById(id).lean())!.status).toBe('due');
    expect(await w.db.models.Complaint.countDocuments({ contractNo: body.contractNo })).toBe(0);
  });
});
