import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type CaseEventInput, type CaseStepInput } from '../../activities/create-activities';
import { stateQuery } from '../../workflows/complaint.messages';
import { complaintInput, HOUR, MINUTE, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment, type TestDatabase } from '../support/harness';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.close();
});

function eventInput(complaintId: string, seq: number, type = 'warning'): CaseEventInput {
  const snapshot = {
    complaintId,
    status: 'open',
    step: 'follow_up',
    level: 'supervisor',
    round: 3,
    severity: 'general',
    priority: 'medium',
    routedTo: 'branch',
    overdue: true,
    valid: true,
    remedies: [],
    approvals: [],
    policyVersion: 'test',
  } as unknown as CaseEventInput['snapshot'];
  return {
    complaintId,
    seq,
    event: { type, at: new Date('2026-11-20T08:00:00Z').toISOString(), level: 'supervisor', by: 'system', data: { step: 'follow_up' } },
    snapshot,
    notify: ['supervisor', 'branch'],
  };
}

describe('activities over FerretDB', () => {
  it('writes a document through mongoose and reads it back', async () => {
    const id = `C-${randomUUID().slice(0, 8)}`;
    await db.models.Complaint.create({ _id: id, kind: 'customer', source: 'phone', workflowId: `complaint-${id}`, createdAt: new Date(), stateSeq: 0 });
    const acts = createActivities({ models: db.models });
    await acts.recordCaseEvent(eventInput(id, 1));
    const doc = await db.models.Complaint.findById(id).lean();
    expect(doc).toMatchObject({ _id: id, status: 'open', level: 'supervisor', round: 3, overdue: true, stateSeq: 1 });
    const ev = await db.models.CaseEvent.findById(`${id}:000001`).lean();
    expect(ev).toMatchObject({ complaintId: id, seq: 1, type: 'warning', by: 'system' });
    expect(ev!.at.toISOString()).toBe('2026-11-20T08:00:00.000Z');
  });

  it('is idempotent: a retry, even concurrent, writes one event and one notification per recipient', async () => {
    const id = `C-${randomUUID().slice(0, 8)}`;
    await db.models.Complaint.create({ _id: id, kind: 'customer', source: 'phone', workflowId: `complaint-${id}`, createdAt: new Date(), stateSeq: 0 });
    const acts = createActivities({ models: db.models });
    const results = await Promise.all([1, 2, 3].map(() => acts.recordCaseEvent(eventInput(id, 7))));
    expect(results.reduce((n, r) => n + r.notificationsCreated, 0)).toBe(2);
    expect(await db.models.CaseEvent.countDocuments({ complaintId: id })).toBe(1);
    expect(await db.models.Notification.countDocuments({ caseId: id })).toBe(2);
    // An older event retried late never rolls the projection back.
    await acts.recordCaseEvent({ ...eventInput(id, 3), snapshot: { ...eventInput(id, 3).snapshot, level: 'assistant' } });
    expect((await db.models.Complaint.findById(id).lean())!.level).toBe('supervisor');
  });

  it('writes a whole step once, even retried concurrently, and asks for webhook posts only when a webhook is set', async () => {
    const id = `C-${randomUUID().slice(0, 8)}`;
    await db.models.Complaint.create({ _id: id, kind: 'customer', source: 'phone', workflowId: `complaint-${id}`, createdAt: new Date(), stateSeq: 0 });
    const { event, notify, snapshot } = eventInput(id, 1);
    const step = {
      complaintId: id,
      entries: [1, 2, 3].map((seq) => ({ seq, event: { ...event, type: seq === 3 ? 'legal_handoff' : 'escalated' }, notify })),
      snapshot,
      tasks: [{ id: `${id}:survey:0`, type: 'satisfaction_survey', complaintId: id, assigneeRole: 'assistant' as const, dueAt: event.at }],
      handoffSeq: 2,
    };
    const quiet = createActivities({ models: db.models });
    const results = await Promise.all([1, 2, 3].map(() => quiet.recordCaseStep(step)));
    expect(results.reduce((n, r) => n + r.notificationsCreated, 0)).toBe(6);
    expect(results.every((r) => r.notificationIds.length === 0)).toBe(true);
    expect(await db.models.CaseEvent.countDocuments({ complaintId: id })).toBe(3);
    expect(await db.models.Notification.countDocuments({ caseId: id })).toBe(6);
    expect(await db.models.Task.countDocuments({ complaintId: id })).toBe(1);
    const packet = await db.models.Handoff.findById(`${id}:2`).lean();
    expect((packet!.history as { seq: number }[]).map((e) => e.seq)).toEqual([1, 2]);
    expect((await db.models.Complaint.findById(id).lean())!.stateSeq).toBe(3);
    const posting = createActivities({ models: db.models, webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-webhook-secret-0123' } });
    expect((await posting.recordCaseStep(step)).notificationIds).toHaveLength(6);
  });
});

describe('a worker that crashes after writing', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `crash-${randomUUID()}`;
  const crashed = new Set<string>();

  beforeAll(async () => {
    env = await timeSkippingEnvironment();
    const real = createActivities({ models: db.models });
    worker = await testWorker(env.nativeConnection, db.models, taskQueue, {
      activities: {
        ...real,
        // Every step's first attempt writes, then dies before reporting: Temporal retries it.
        async recordCaseStep(input: CaseStepInput) {
          const result = await real.recordCaseStep(input);
          const key = `${input.complaintId}:${input.entries[0]!.seq}`;
          if (!crashed.has(key)) {
            crashed.add(key);
            throw new Error('worker crashed after the write');
          }
          return result;
        },
      },
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('still records each escalation and notification exactly once', async () => {
    const input = complaintInput();
    const handle = await openCase(env.client, db.models, taskQueue, input);
    await env.sleep(3 * MINUTE + 24 * HOUR + 2 * 48 * HOUR + MINUTE);
    expect((await handle.query(stateQuery)).level).toBe('supervisor');
    expect(crashed.size).toBeGreaterThan(10);
    const events = await db.models.CaseEvent.find({ complaintId: input.complaintId }).sort({ seq: 1 }).lean();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'escalated')).toHaveLength(1);
    const notes = await db.models.Notification.find({ caseId: input.complaintId }).lean();
    const ids = notes.map((n) => n._id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(notes.filter((n) => n.type === 'escalated').map((n) => n.recipientRole)).toEqual(['supervisor']);
  });
});
