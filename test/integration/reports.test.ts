// KPIs over a known set of documents, asserted figure by figure; summaries stored once per window by a schedule's workflow.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpiRows, computeKpis, type Kpi } from '../../db/kpi-queries';
import { previousWindow } from '../../domain/report-periods';
import { ensureKpiSummarySchedules, kpiSummaryScheduleId } from '../../worker/kpi-summary-schedules';
import { POLICY } from '../support/fixtures';
import { devServerEnvironment, freshDatabase, testWorker, type TestDatabase } from '../support/harness';

let db: TestDatabase;
const from = new Date('2026-11-01T00:00:00+08:00');
const to = new Date('2026-12-01T00:00:00+08:00');
const inPeriod = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour - 8));
const HOUR = 3_600_000;

async function seed() {
  const base = { source: 'phone', category: 'quality', stateSeq: 1 };
  const c = (id: string, fields: Record<string, unknown>) => db.models.Complaint.create({ _id: id, workflowId: `complaint-${id}`, ...base, ...fields });
  const closedCustomer = { kind: 'customer', status: 'closed', severity: 'general' };
  await c('C-1', {
    ...closedCustomer,
    branch: 'north',
    createdAt: inPeriod(2),
    valid: true,
    validConfirmed: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(5),
    followUps: 2,
    surveySatisfied: true,
    resolvedAt: inPeriod(3),
    handlingMs: 10 * HOUR,
  });
  // A service request, not a complaint: no complaint measure counts it, however valid or late.
  await c('C-2', {
    branch: 'north',
    kind: 'repair',
    createdAt: inPeriod(4),
    valid: true,
    validConfirmed: true,
    firstCallbackOnTime: false,
    repairCompletedAt: inPeriod(5),
    closedAt: inPeriod(9),
    followUps: 0,
    surveySatisfied: false,
    resolvedAt: inPeriod(6),
    handlingMs: 30 * HOUR,
    severity: 'serious',
    status: 'closed',
  });
  await c('C-3', {
    branch: 'north',
    kind: 'customer',
    createdAt: inPeriod(10),
    valid: false,
    validConfirmed: false,
    firstCallbackOnTime: true,
    severity: 'major',
    status: 'open',
  });
  await c('C-4', {
    ...closedCustomer,
    branch: 'south',
    createdAt: inPeriod(12),
    valid: true,
    validConfirmed: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(14),
    followUps: 1,
    resolvedAt: inPeriod(13),
    handlingMs: 30 * HOUR,
  });
  await c('C-5', {
    ...closedCustomer,
    branch: 'north',
    createdAt: new Date('2026-10-20T02:00:00Z'),
    valid: true,
    validConfirmed: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(3),
    followUps: 1,
    surveySatisfied: true,
    resolvedAt: inPeriod(2),
    handlingMs: 5 * HOUR,
  });
  // External complaints: answered on time when decided before the deadline, not when the timer handed them over.
  await c('C-6', {
    branch: 'north',
    kind: 'customer',
    source: 'media',
    createdAt: inPeriod(15),
    valid: true,
    externalAnsweredOnTime: true,
    severity: 'serious',
    status: 'legal',
  });
  await c('C-7', {
    branch: 'north',
    kind: 'customer',
    source: 'regulator',
    createdAt: inPeriod(16),
    valid: true,
    externalAnsweredOnTime: false,
    severity: 'serious',
    status: 'legal',
  });
  // Never triaged: the case's default validity is not a confirmed valid complaint; not answered yet either.
  await c('C-8', { branch: 'north', kind: 'customer', createdAt: inPeriod(18), valid: true, severity: 'general', status: 'open' });
  // Service requests whose call back fell due in November (repair done 3 days before), one that never got a call.
  const repair = (id: string, completed: Date, fields: Record<string, unknown> = {}) =>
    c(id, { branch: 'north', kind: 'repair', createdAt: completed, repairCompletedAt: completed, severity: 'general', status: 'resolved', ...fields });
  await repair('R-1', inPeriod(5), { closedAt: inPeriod(9), status: 'closed' });
  await repair('R-2', inPeriod(10), { closedAt: inPeriod(12), status: 'closed', reopened: true });
  await repair('R-3', inPeriod(20));
  await repair('R-4', inPeriod(29)); // its call falls due in December
  await repair('R-5', new Date('2026-10-30T02:00:00Z')); // its call fell due in November, made as a task
  await db.models.Task.create({
    _id: 'R-5:post_repair',
    type: 'post_repair_callback',
    complaintId: 'R-5',
    branch: 'north',
    assigneeRole: 'assistant',
    dueAt: inPeriod(2),
    status: 'done',
    createdAt: new Date('2026-10-30T02:00:00Z'),
  });

  const p = (id: string, branch: string, phase: string) =>
    db.models.Contract.create({
      _id: id,
      branch,
      phase,
      contractSignedAt: new Date('2026-06-01T00:00:00Z'),
      plannedCompletionAt: new Date('2026-09-01T00:00:00Z'),
      warrantyMonths: 24,
      requestHash: 'h',
      workflowId: `project-${id}`,
      createdAt: new Date('2026-06-01T00:00:00Z'),
    });
  await Promise.all([
    p('P-1', 'north', 'warranty'),
    p('P-2', 'north', 'construction'),
    p('P-3', 'north', 'signed'),
    p('P-4', 'north', 'cancelled'),
    p('P-5', 'south', 'warranty'),
  ]);

  const cb = (id: string, branch: string, kind: string, fields: Record<string, unknown>) =>
    db.models.Callback.create({ _id: id, contractNo: 'P-1', branch, kind, dueAt: inPeriod(8), createdAt: inPeriod(8), ...fields });
  await cb('cb1', 'north', 'construction', { status: 'done', outcome: 'satisfied', onTime: true });
  await cb('cb2', 'north', 'warranty', { status: 'done', outcome: 'satisfied', onTime: false });
  await cb('cb3', 'north', 'post_repair', { status: 'done', outcome: 'satisfied', onTime: true, complaintId: 'R-1' });
  await cb('cb4', 'north', 'post_repair', { status: 'done', outcome: 'problem', onTime: true, complaintId: 'R-2' });
  await cb('cb5', 'north', 'post_repair', { status: 'due', complaintId: 'C-2' });
  await cb('cb6', 'north', 'after_signing', { status: 'cancelled' });
  await cb('cb7', 'south', 'construction', { status: 'done', outcome: 'satisfied', onTime: true });
  await cb('cb8', 'north', 'construction', { status: 'done', outcome: 'satisfied', onTime: true, dueAt: new Date('2026-12-03T02:00:00Z') });
}

const figures = (kpis: Kpi[]) => Object.fromEntries(kpis.map((k) => [k.key, [k.numerator, k.denominator, k.value, k.met]]));

beforeAll(async () => {
  db = await freshDatabase();
  await seed();
});
afterAll(async () => {
  await db?.close();
});

describe('KPI report', () => {
  it('computes every measure exactly for all branches', async () => {
    const kpis = await computeKpis(db.models, POLICY, { from, to });
    expect(figures(kpis)).toEqual({
      validComplaintRate: [2, 4, 50, false],
      complaintsAnsweredOnTime: [4, 6, 66.67, false],
      complaintsCalledBack: [3, 3, 100, true],
      complaintSatisfaction: [2, 2, 100, true],
      serviceRequestsCalledBack: [3, 5, 60, false],
      serviceRequestSatisfaction: [1, 2, 50, false],
      repairQuality: [2, 3, 66.67, false],
      callbacksOnTime: [4, 6, 66.67, false],
      majorComplaints: [1, 6, 1, false],
      handlingCycleWithin24h: [2, 3, 66.67, false],
    });
    expect(kpis.find((k) => k.key === 'callbacksOnTime')!.target).toEqual({ op: '>', value: 98 });
    expect(kpis.find((k) => k.key === 'repairQuality')!.target).toEqual({ op: '>', value: 98 });
  });

  it('narrows to one branch', async () => {
    const kpis = await computeKpis(db.models, POLICY, { from, to, branch: 'north' });
    expect(figures(kpis)).toEqual({
      validComplaintRate: [1, 3, 33.33, false],
      complaintsAnsweredOnTime: [3, 5, 60, false],
      complaintsCalledBack: [2, 2, 100, true],
      complaintSatisfaction: [2, 2, 100, true],
      serviceRequestsCalledBack: [3, 5, 60, false],
      serviceRequestSatisfaction: [1, 2, 50, false],
      repairQuality: [2, 3, 66.67, false],
      callbacksOnTime: [3, 5, 60, false],
      majorComplaints: [1, 5, 1, false],
      handlingCycleWithin24h: [2, 2, 100, true],
    });
  });

  it('measures the handling cycle against the policy, and gives one row per branch', async () => {
    const longer = structuredClone(POLICY);
    longer.reports.handlingCycle = 'PT36H';
    const kpis = await computeKpis(db.models, longer, { from, to });
    expect(figures(kpis).handlingCycleWithin24h).toEqual([3, 3, 100, true]);
    const rows = await computeKpiRows(db.models, POLICY, { from, to });
    expect(rows.branches.map((r) => r.branch)).toEqual(['north', 'south']);
    expect(figures(rows.branches[0]!.kpis)).toEqual(figures(await computeKpis(db.models, POLICY, { from, to, branch: 'north' })));
    expect(figures(rows.kpis)).toEqual(figures(await computeKpis(db.models, POLICY, { from, to })));
  });

  it('meets a target when the figures do, and reports no value for an empty denominator', async () => {
    const kpis = await computeKpis(db.models, POLICY, { from, to, branch: 'south' });
    const byKey = Object.fromEntries(kpis.map((k) => [k.key, k]));
    expect(byKey.complaintsAnsweredOnTime).toMatchObject({ numerator: 1, denominator: 1, value: 100, met: true });
    expect(byKey.callbacksOnTime).toMatchObject({ value: 100, met: true });
    expect(byKey.majorComplaints).toMatchObject({ value: 0, met: true });
    expect(byKey.serviceRequestsCalledBack).toMatchObject({ numerator: 0, denominator: 0, value: null, met: null });
  });
});

describe('scheduled summaries', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `summaries-${randomUUID()}`;
  beforeAll(async () => {
    // Real time: the window is computed from the workflow's clock, which a time-skipping server may run far ahead.
    env = await devServerEnvironment();
    worker = await testWorker(env.nativeConnection, db.models, taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('stores the previous month once, however often the workflow runs', async () => {
    const tz = POLICY.calendar.timeZone;
    const run = () =>
      env.client.workflow.execute('KpiSummaryReport', { taskQueue, workflowId: `kpi-${randomUUID()}`, args: [{ period: 'monthly', timeZone: tz }] });
    const first = await run();
    const second = await run();
    const window = previousWindow('monthly', Date.now(), tz);
    expect(first).toEqual({ id: `monthly:${window.label}`, created: true });
    expect(second).toEqual({ id: first.id, created: false });
    expect(await db.models.Summary.countDocuments({ period: 'monthly' })).toBe(1);
    const stored = await db.models.Summary.findById(first.id).lean();
    expect((stored!.branches as { branch: string }[]).map((r) => r.branch)).toEqual(['north', 'south']);
    // Its readers are told once, whatever the number of runs: one notice per recipient role of the policy.
    const notices = await db.models.Notification.find({ caseId: `summary:${first.id}` }).lean();
    expect(notices.map((n) => n.recipientRole).sort()).toEqual([...POLICY.reports.summaryRecipients].sort());
    expect(notices[0]!.message).toMatch(/^KPI summary monthly from \d{4}-\d{2}-01: \d+ of 10 targets met$/);
  });

  it('creates the daily, weekly and monthly schedules once on the dev server', async () => {
    const dev = await devServerEnvironment();
    try {
      const q = `sched-${randomUUID()}`;
      const ids = ['daily', 'weekly', 'monthly', 'yearly'] as const;
      for (const p of ids)
        await dev.client.schedule
          .getHandle(kpiSummaryScheduleId(p))
          .delete()
          .catch(() => undefined);
      expect(await ensureKpiSummarySchedules(dev.client, q, POLICY)).toEqual(['daily', 'weekly', 'monthly', 'yearly']);
      expect(await ensureKpiSummarySchedules(dev.client, q, POLICY)).toEqual([]);
      const monthly = await dev.client.schedule.getHandle(kpiSummaryScheduleId('monthly')).describe();
      expect(monthly.spec.timezone).toBe('Asia/Shanghai');
      expect(monthly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'KpiSummaryReport', taskQueue: q });
      // A policy with another run time moves the existing schedule instead of keeping the old one.
      const later = structuredClone(POLICY);
      later.reports.summaries.monthly.cron = '0 5 2 * *';
      expect(await ensureKpiSummarySchedules(dev.client, q, later)).toEqual([]);
      const moved = await dev.client.schedule.getHandle(kpiSummaryScheduleId('monthly')).describe();
      expect(moved.state.note).toBe('policy run time: 0 5 2 * * (Asia/Shanghai)');
      expect(moved.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 5, end: 5, step: 1 }], dayOfMonth: [{ start: 2, end: 2, step: 1 }] });
      for (const p of ids) await dev.client.schedule.getHandle(kpiSummaryScheduleId(p)).delete();
    } finally {
      await dev.teardown();
    }
  });
});

describe('report windows', () => {
  it('covers the last complete day, Monday-to-Sunday week and month in the local zone', () => {
    const now = Date.parse('2026-12-02T01:00:00Z'); // Wednesday 09:00 in Shanghai
    expect(previousWindow('daily', now, 'Asia/Shanghai')).toMatchObject({
      label: '2026-12-01',
      from: Date.parse('2026-11-30T16:00:00Z'),
      to: Date.parse('2026-12-01T16:00:00Z'),
    });
    expect(previousWindow('weekly', now, 'Asia/Shanghai')).toMatchObject({ label: '2026-11-23', to: Date.parse('2026-11-29T16:00:00Z') });
    expect(previousWindow('monthly', now, 'Asia/Shanghai')).toMatchObject({
      label: '2026-11-01',
      from: Date.parse('2026-10-31T16:00:00Z'),
      to: Date.parse('2026-11-30T16:00:00Z'),
    });
  });
});
