// The worklist's bucket read path on FerretDB: day boundaries in the policy zone, scopes moving on assignment, settling, paging.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worklistWriter } from '../../db/worklist-writer';
import type { StaffUser } from '../../api/auth';
import { createCaseWorkService } from '../../api/services/case-work.service';
import { createWorklistService } from '../../api/services/worklist.service';
import { loadPolicy } from '../../config/policy';
import { backfillWorklistKeys, registerBuckets } from '../../db/worklist-keys';
import { freshDatabase, type TestDatabase } from '../support/harness';

const policy = loadPolicy();
const ZONE = policy.calendar.timeZone; // Asia/Shanghai in the default policy
const NOW = new Date('2026-12-03T04:00:00.000Z'); // 12:00 in Shanghai
const HOUR = 3_600_000;
let db: TestDatabase;
let write: ReturnType<typeof worklistWriter>;
let worklist: ReturnType<typeof createWorklistService>;

beforeAll(async () => {
  db = await freshDatabase();
  write = worklistWriter(db.models, ZONE);
  worklist = createWorklistService({ models: db.models, policy, now: () => NOW });
});
afterAll(async () => {
  await db?.close();
});

const assistant = (sub: string, branch: string): StaffUser => ({ sub, name: 'Assistant', roles: ['assistant'], branch });
const supervisor: StaffUser = { sub: 'sup-1', name: 'Supervisor', roles: ['supervisor'] };

async function contract(branch: string): Promise<string> {
  const contractNo = `K-${randomUUID().slice(0, 8)}`;
  await db.models.Contract.create({
    _id: contractNo,
    branch,
    customer: { name: 'Li Lei', phone: '13900002222' },
    contractSignedAt: NOW,
    plannedCompletionAt: NOW,
    warrantyMonths: 12,
    requestHash: 'h',
    workflowId: `project-${contractNo}`,
    createdAt: NOW,
  });
  return contractNo;
}

/** A call on a new contract of `branch`, due at `dueAt`; returns the worklist item id. */
async function call(branch: string, dueAt: string, status = 'due', version = 1, contractNo?: string): Promise<string> {
  const no = contractNo ?? (await contract(branch));
  const id = `${no}.after_signing.1`;
  await write.callback(no, branch, { id, kind: 'after_signing', status, dueAt: Date.parse(dueAt), version });
  return `callback:${id}`;
}

const ids = async (user: StaffUser, q: Record<string, unknown> = {}) => (await worklist.list({ limit: 20, ...q } as never, user)).items.map((i) => i.id);

describe('worklist buckets', () => {
  it('cuts due days at midnight in the policy zone and lists only what is due by the end of today, in due order', async () => {
    const b = 'bnd';
    const lastOfDec1 = await call(b, '2026-12-01T15:59:00.000Z'); // 23:59 on 1 December in Shanghai
    const firstOfDec2 = await call(b, '2026-12-01T16:01:00.000Z'); // 00:01 on 2 December
    const lastOfToday = await call(b, '2026-12-03T15:59:00.000Z'); // 23:59 today
    await call(b, '2026-12-03T16:00:00.000Z'); // midnight: tomorrow's call, not listed yet
    const days = (await db.models.WorklistBucket.find({ prefix: `assistant|${b}|-` }).lean()).map((x) => x.day).sort();
    expect(days).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    expect(await ids(assistant('a1', b))).toEqual([lastOfDec1, firstOfDec2, lastOfToday]);
    expect(await ids(assistant('a1', b), { overdue: true })).toEqual([lastOfDec1, firstOfDec2]);
    expect(await ids(assistant('a1', b), { overdue: false })).toEqual([lastOfToday]);
    expect(await ids(assistant('a1', 'other'))).toEqual([]);
  });

  it('moves an item to the assignee’s scope when a supervisor assigns its case', async () => {
    const b = 'asg';
    const no = await contract(b);
    const item = await call(b, '2026-12-02T01:00:00.000Z', 'due', 1, no);
    expect(await ids(assistant('a1', b))).toEqual([item]);
    expect(await ids(assistant('a2', b))).toEqual([item]);
    expect(await ids(assistant('a1', b), { assignee: 'me' })).toEqual([]);
    await createCaseWorkService({ models: db.models, timeZone: ZONE }).assign('contract', no, 'a1', supervisor);
    expect((await db.models.WorkItem.findById(item).lean())!.wl).toContain(`assistant|${b}|a1|2026-12-02`);
    expect(await ids(assistant('a1', b), { assignee: 'me' })).toEqual([item]);
    expect(await ids(assistant('a1', b))).toEqual([item]);
    expect(await ids(assistant('a2', b))).toEqual([]);
    expect(await ids(assistant('a2', b), { assignee: 'unassigned' })).toEqual([]);
    expect(await ids(assistant('a2', b), { assignee: 'all' })).toEqual([item]);
    expect(await ids(supervisor, { branch: b })).toEqual([]); // a due call is the assistants' until it is overdue
  });

  it('drops a settled item, forgets its empty bucket, and a new item due that day registers it again', async () => {
    const b = 'stl';
    const no = await contract(b);
    const item = await call(b, '2026-12-02T02:00:00.000Z', 'due', 1, no);
    expect(await ids(assistant('a1', b))).toEqual([item]);
    await call(b, '2026-12-02T02:00:00.000Z', 'done', 2, no);
    expect((await db.models.WorkItem.findById(item).lean())!.wl).toEqual([]);
    expect(await ids(assistant('a1', b))).toEqual([]);
    expect(await db.models.WorklistBucket.countDocuments({ prefix: `assistant|${b}|-` })).toBe(0);
    const again = await call(b, '2026-12-02T03:00:00.000Z');
    expect(await ids(assistant('a1', b))).toEqual([again]);
  });

  it('pages across several day buckets in due order with a stable cursor', async () => {
    const b = 'pag';
    const made: string[] = [];
    for (let day = 0; day < 6; day++) {
      for (const h of [1, 9]) made.push(await call(b, new Date(Date.parse('2026-11-26T00:00:00.000Z') + day * 24 * HOUR + h * HOUR).toISOString()));
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let added = false;
    do {
      const page = await worklist.list({ limit: 5, cursor } as never, assistant('a1', b));
      seen.push(...page.items.map((i) => i.id));
      sizes.push(page.items.length);
      cursor = page.nextCursor ?? undefined;
      if (!added) {
        added = true;
        // Written mid-paging: one before the cursor (already passed, not repeated), one after it (still to come).
        await call(b, '2026-11-25T00:00:00.000Z');
        made.push(await call(b, '2026-11-30T23:00:00.000Z'));
      }
    } while (cursor);
    expect(sizes).toEqual([5, 5, 3]);
    expect(new Set(seen).size).toBe(seen.length);
    const order = await db.models.WorkItem.find({ _id: { $in: made } }).lean();
    expect(seen).toEqual(order.sort((x, y) => x.dueAt!.getTime() - y.dueAt!.getTime()).map((x) => x._id));
  });

  it('lists a complaint step due days ahead from its start (an early bucket after today)', async () => {
    const id = `C-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const deadline = { startedAt: '2026-12-02T02:00:00.000Z', dueAt: '2026-12-07T02:00:00.000Z' };
    await write.complaintStep(id, 1, {
      complaintId: id,
      status: 'open',
      step: 'branch_feedback',
      level: 'supervisor',
      routedTo: 'branch',
      deadline,
      branch: 'erl',
    });
    const branchUser: StaffUser = { sub: 'br-1', name: 'Branch', roles: ['branch'], branch: 'erl' };
    expect(await ids(branchUser)).toEqual([`complaint:${id}`]);
  });

  it('finds items written before bucket keys once the startup backfill has keyed them', async () => {
    const b = 'old';
    const dueAt = new Date('2026-12-01T05:00:00.000Z');
    await db.models.WorkItem.create({
      _id: 'callback:OLD-1.after_signing.1',
      kind: 'callback',
      caseType: 'contract',
      caseId: 'OLD-1',
      caseKey: 'contract:OLD-1',
      branch: b,
      roles: ['assistant'],
      dueAt,
      visibleFrom: dueAt,
      action: 'POST /v1/callbacks/OLD-1.after_signing.1/outcome',
      open: true,
      seq: 1,
      createdAt: dueAt,
    });
    expect(await ids(assistant('a1', b))).toEqual([]);
    expect(await backfillWorklistKeys(db.models, ZONE)).toBeGreaterThanOrEqual(1);
    expect(await ids(assistant('a1', b))).toEqual(['callback:OLD-1.after_signing.1']);
    expect(await backfillWorklistKeys(db.models, ZONE)).toBe(0);
  });

  it('reads every branch by the hour: the day lists its hours, an emptied hour leaves, the day goes with its last hour', async () => {
    const b = 'hrs';
    const [n1, n2] = [await contract(b), await contract(b)];
    const first = await call(b, '2026-10-05T01:10:00.000Z', 'overdue', 1, n1); // 09:10 in Shanghai: hour 9
    const second = await call(b, '2026-10-05T06:40:00.000Z', 'overdue', 1, n2); // 14:40: hour 14
    expect((await db.models.WorkItem.findById(first).lean())!.wl).toContain('supervisor|*|*|2026-10-05|09');
    const hours = async () => (await db.models.WorklistBucket.find({ prefix: 'supervisor|*|*|2026-10-05' }).lean()).map((h) => h.hour).sort((x, y) => x! - y!);
    const day = () => db.models.WorklistBucket.findById('supervisor|*|*|2026-10-05|n').lean();
    expect(await hours()).toEqual([9, 14]);
    expect(await day()).not.toBeNull();
    expect(await ids(supervisor, { limit: 2 })).toEqual([first, second]);
    await call(b, '2026-10-05T01:10:00.000Z', 'done', 2, n1);
    expect(await ids(supervisor, { limit: 1 })).toEqual([second]);
    expect(await hours()).toEqual([14]);
    await call(b, '2026-10-05T06:40:00.000Z', 'done', 2, n2);
    await ids(supervisor, { limit: 1 }); // hour 14 found empty
    await ids(supervisor, { limit: 1 }); // the day found without hours
    expect(await hours()).toEqual([]);
    expect(await day()).toBeNull();
  });

  it('keeps every hour of racing first registrations of one day, and drops a day record of the old layout', async () => {
    const day = { prefix: 'legal|*|*', day: '2026-09-01', from: new Date('2026-08-31T16:00:00.000Z'), to: new Date('2026-09-01T16:00:00.000Z'), early: false };
    await Promise.all([3, 4, 5, 6, 7].map((hour) => registerBuckets(db.models, [{ ...day, hour }])));
    const hours = await db.models.WorklistBucket.find({ prefix: 'legal|*|*|2026-09-01' }).lean();
    expect(hours.map((h) => h.hour).sort()).toEqual([3, 4, 5, 6, 7]);
    expect(await db.models.WorklistBucket.countDocuments({ prefix: 'legal|*|*', day: '2026-09-01' })).toBe(1);
    await db.models.WorklistBucket.create({ _id: 'legal|*|*|2026-08-01|n', ...day, day: '2026-08-01' });
    const legal: StaffUser = { sub: 'lg-1', name: 'Legal', roles: ['legal'] };
    await worklist.list({ limit: 20 } as never, legal);
    expect(await db.models.WorklistBucket.findById('legal|*|*|2026-08-01|n').lean()).toBeNull();
    // Its five hours held nothing: they go now, the day on the next read.
    expect(await db.models.WorklistBucket.countDocuments({ prefix: 'legal|*|*|2026-09-01' })).toBe(0);
    await worklist.list({ limit: 20 } as never, legal);
    expect(await db.models.WorklistBucket.findById('legal|*|*|2026-09-01|n').lean()).toBeNull();
  });

  it('pages every branch across hours and days in due order with a stable cursor, each item once', async () => {
    const made: string[] = [];
    for (let i = 0; i < 12; i++) {
      const at = new Date(Date.parse('2026-10-10T00:20:00.000Z') + i * 5 * HOUR + (i % 3) * 60_000).toISOString();
      made.push(await call(`pg${i % 3}`, at, 'overdue'));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await worklist.list({ limit: 5, cursor } as never, supervisor);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => made.includes(id))).toEqual(made);
  });
});
