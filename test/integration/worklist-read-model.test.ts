// The worklist read model as the activities keep it: keyed, guarded by sequence, settled by key, customer from MongoDB.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type CaseStepInput } from '../../activities/create-activities';
import { freshDatabase, type TestDatabase } from '../support/harness';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.close();
});

const AT = '2026-11-20T08:00:00.000Z';
const DUE = '2026-11-20T08:03:00.000Z';

async function complaint(patch: Record<string, unknown> = {}) {
  const id = `C-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await db.models.Complaint.create({
    _id: id,
    kind: 'customer',
    source: 'phone',
    branch: 'north',
    complainant: { name: 'Wang Fang', phone: '13800001111', anonymous: false },
    workflowId: `complaint-${id}`,
    createdAt: new Date(),
    stateSeq: 0,
    ...patch,
  });
  return id;
}

function stepInput(id: string, seq: number, patch: Record<string, unknown> = {}, tasks?: CaseStepInput['tasks']): CaseStepInput {
  const snapshot = {
    complaintId: id,
    status: 'open',
    step: 'first_callback',
    level: 'assistant',
    round: 0,
    severity: 'general',
    priority: 'high',
    routedTo: 'branch',
    branch: 'north',
    overdue: false,
    valid: true,
    deadline: { step: 'first_callback', startedAt: AT, dueAt: DUE, warningsSent: 0 },
    remedies: [],
    approvals: [],
    policyVersion: 'test',
    followUps: 0,
    ...patch,
  } as unknown as CaseStepInput['snapshot'];
  return { complaintId: id, entries: [{ seq, event: { type: 'opened', at: AT, level: 'assistant', by: 'system', data: {} }, notify: [] }], snapshot, tasks };
}

describe('worklist items written by the complaint activities', () => {
  it('opens one item per complaint with the customer from MongoDB, moves it with the step, and an older retry never moves it back', async () => {
    const id = await complaint();
    const acts = createActivities({ models: db.models });
    await Promise.all([1, 2].map(() => acts.recordCaseStep(stepInput(id, 1))));
    expect(await db.models.WorkItem.countDocuments({ caseId: id })).toBe(1);
    const first = await db.models.WorkItem.findById(`complaint:${id}`).lean();
    expect(first).toMatchObject({
      kind: 'first_callback',
      roles: ['assistant'],
      branch: 'north',
      open: true,
      action: `POST /v1/complaints/${id}/acknowledge`,
      customer: { name: 'Wang Fang', phone: '13800001111' },
      complaintKind: 'customer',
    });
    expect(first!.dueAt!.toISOString()).toBe(DUE);

    const feedback = { step: 'branch_feedback', deadline: { step: 'branch_feedback', startedAt: AT, dueAt: '2026-11-21T08:00:00.000Z', warningsSent: 0 } };
    await acts.recordCaseStep(stepInput(id, 3, feedback));
    await acts.recordCaseStep(stepInput(id, 1));
    expect(await db.models.WorkItem.findById(`complaint:${id}`).lean()).toMatchObject({ kind: 'branch_feedback', roles: ['branch'], seq: 3 });

    await acts.recordCaseStep(stepInput(id, 4, { status: 'closed', step: 'closed', deadline: undefined }));
    expect(await db.models.WorkItem.findById(`complaint:${id}`).lean()).toMatchObject({ open: false, seq: 4 });
  });

  it('never copies an anonymous complainant', async () => {
    const id = await complaint({ complainant: { anonymous: true } });
    await createActivities({ models: db.models }).recordCaseStep(stepInput(id, 1));
    expect((await db.models.WorkItem.findById(`complaint:${id}`).lean())!.customer ?? undefined).toBeUndefined();
  });

  it('opens a survey task item and settles it once the survey is recorded', async () => {
    const id = await complaint();
    const acts = createActivities({ models: db.models });
    const closed = { status: 'closed', step: 'closed', deadline: undefined };
    const task = { id: `${id}:survey:0`, type: 'satisfaction_survey', complaintId: id, branch: 'north', assigneeRole: 'assistant' as const, dueAt: AT };
    await acts.recordCaseStep(stepInput(id, 5, closed, [task]));
    expect(await db.models.WorkItem.findById(`task:${task.id}`).lean()).toMatchObject({
      kind: 'satisfaction_survey',
      open: true,
      action: `POST /v1/complaints/${id}/survey`,
    });
    await acts.recordCaseStep(stepInput(id, 6, { ...closed, surveyRecorded: true }));
    // A late retry of the task's creation does not reopen it.
    await acts.createTask(task);
    expect(await db.models.WorkItem.findById(`task:${task.id}`).lean()).toMatchObject({ open: false });
  });
});

async function contractOf(branch: string): Promise<string> {
  const contractNo = `K-${randomUUID().slice(0, 8)}`;
  await db.models.Contract.create({
    _id: contractNo,
    branch,
    customer: { name: 'Li Lei', phone: '13900002222' },
    contractSignedAt: new Date(AT),
    plannedCompletionAt: new Date(DUE),
    warrantyMonths: 12,
    requestHash: 'h',
    workflowId: `project-${contractNo}`,
    createdAt: new Date(),
  });
  return contractNo;
}

describe('worklist items written by the contract activities', () => {
  it('opens a call item with the contract’s customer, moves it by version and settles it when done', async () => {
    const contractNo = await contractOf('south');
    const acts = createActivities({ models: db.models });
    const entry = { seq: 1, event: { type: 'callback_due', at: AT, by: 'system', data: {} }, notify: [] };
    const contract = { phase: 'signed', branch: 'south', milestones: {} as never, policyVersion: 'test' };
    const call = {
      id: `${contractNo}.after_signing.1`,
      kind: 'after_signing' as const,
      dueAt: Date.parse(AT),
      status: 'due' as const,
      attempts: 0,
      version: 1,
    };
    await acts.recordContractStep({ contractNo, entries: [entry], contract, callbacks: [call] });
    expect(await db.models.WorkItem.findById(`callback:${call.id}`).lean()).toMatchObject({
      kind: 'callback',
      callbackKind: 'after_signing',
      roles: ['assistant'],
      branch: 'south',
      customer: { name: 'Li Lei', phone: '13900002222' },
      action: `POST /v1/callbacks/${call.id}/outcome`,
      open: true,
    });
    await acts.recordContractStep({
      contractNo,
      entries: [{ ...entry, seq: 3 }],
      contract,
      callbacks: [{ ...call, status: 'done', outcome: 'satisfied', version: 3 }],
    });
    await acts.recordContractStep({ contractNo, entries: [{ ...entry, seq: 2 }], contract, callbacks: [{ ...call, status: 'overdue', version: 2 }] });
    expect(await db.models.WorkItem.findById(`callback:${call.id}`).lean()).toMatchObject({ open: false, seq: 3 });
  });

  it('settles a cancellation request still undecided when the warranty ends: the VP waits on nothing', async () => {
    const contractNo = await contractOf('south');
    const acts = createActivities({ models: db.models });
    const request = { decision: 'cancel_order' as const, reasonCode: 'other' as const, by: 'a-1', at: AT, roles: ['vp' as const], escalateAt: DUE };
    const step = (seq: number, phase: string) => ({
      contractNo,
      entries: [{ seq, event: { type: phase === 'closed' ? 'closed' : 'cancellation_requested', at: AT, by: 'system', data: {} }, notify: [] }],
      contract: { phase, branch: 'south', milestones: {} as never, policyVersion: 'test', cancellation: request },
      callbacks: [],
    });
    await acts.recordContractStep(step(1, 'warranty'));
    const itemId = `approval:contract:${contractNo}:cancel_order`;
    expect(await db.models.WorkItem.findById(itemId).lean()).toMatchObject({ kind: 'approval', roles: ['vp'], open: true });
    await acts.recordContractStep(step(2, 'closed'));
    expect(await db.models.WorkItem.findById(itemId).lean()).toMatchObject({ open: false });
    expect((await db.models.Contract.findById(contractNo).lean())?.cancellationRequest ?? null).toBeNull();
  });
});
