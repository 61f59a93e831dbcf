// KPIs over a known set of documents, asserted figure by figure; summaries stored once per window by a schedule's workflow.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis, type Kpi } from '../../db/kpi-queries';
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
  await c('C-1', {
    branch: 'north',
    kind: 'customer',
    createdAt: inPeriod(2),
    valid: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(5),
    followUps: 2,
    surveySatisfied: true,
    resolvedAt: inPeriod(3),
    handlingMs: 10 * HOUR,
    severity: 'general',
    status: 'closed',
  });
  await c('C-2', {
    branch: 'north',
    kind: 'repair',
    createdAt: inPeriod(4),
    valid: true,
    firstCallbackOnTime: false,
    closedAt: inPeriod(9),
    followUps: 0,
    surveySatisfied: false,
    resolvedAt: inPeriod(6),
    handlingMs: 30 * HOUR,
    severity: 'serious',
    status: 'closed',
  });
  await c('C-3', { branch: 'north', kind: 'customer', createdAt: inPeriod(10), valid: false, firstCallbackOnTime: true, severity: 'major', status: 'open' });
  await c('C-4', {
    branch: 'south',
    kind: 'customer',
    createdAt: inPeriod(12),
    valid: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(14),
    followUps: 1,
    resolvedAt: inPeriod(13),
    handlingMs: 20 * HOUR,
    severity: 'general',
    status: 'closed',
  });
  await c('C-5', {
    branch: 'north',
    kind: 'customer',
    createdAt: new Date('2026-10-20T02:00:00Z'),
    valid: true,
    firstCallbackOnTime: true,
    closedAt: inPeriod(3),
    followUps: 1,
    surveySatisfied: true,
    resolvedAt: inPeriod(2),
    handlingMs: 5 * HOUR,
    severity: 'general',
    status: 'closed',
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
  await cb('cb3', 'north', 'post_repair', { status: 'done', outcome: 'satisfied', onTime: true });
  await cb('cb4', 'north', 'post_repair', { status: 'done', outcome: 'problem', onTime: true });
  await cb('cb5', 'north', 'post_repair', { status: 'due' });
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
      validComplaintRate: [3, 4, 75, false],
      complaintsAnsweredOnTime: [3, 4, 75, false],
      complaintsCalledBack: [3, 4, 75, false],
      complaintSatisfaction: [2, 3, 66.67, false],
      serviceRequestsCalledBack: [2, 3, 66.67, false],
      serviceRequestSatisfaction: [1, 2, 50, false],
      callbacksOnTime: [4, 6, 66.67, false],
      majorComplaints: [1, 4, 1, false],
      handlingCycleWithin24h: [3, 4, 75, false],
    });
    expect(kpis.find((k) => k.key === 'callbacksOnTime')!.target).toEqual({ op: '>', value: 98 });
  });

  it('narrows to one branch', async () => {
    const kpis = await computeKpis(db.models, POLICY, { from, to, branch: 'north' });
    expect(figures(kpis)).toEqual({
      validComplaintRate: [2, 3, 66.67, false],
      complaintsAnsweredOnTime: [2, 3, 66.67, false],
      complaintsCalledBack: [2, 3, 66.67, false],
      complaintSatisfaction: [2, 3, 66.67, false],
      serviceRequestsCalledBack: [2, 3, 66.67, false],
      serviceRequestSatisfaction: [1, 2, 50, false],
      callbacksOnTime: [3, 5, 60, false],
      majorComplaints: [1, 3, 1, false],
      handlingCycleWithin24h: [2, 3, 66.67, false],
    });
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
  });

  it('creates the daily, weekly and monthly schedules once on the dev server', async () => {
    const dev = await devServerEnvironment();
    try {
      const q = `sched-${randomUUID()}`;
      const ids = ['daily', 'weekly', 'monthly'] as const;
      for (const p of ids)
        await dev.client.schedule
          .getHandle(kpiSummaryScheduleId(p))
          .delete()
          .catch(() => undefined);
      expect(await ensureKpiSummarySchedules(dev.client, q, 'Asia/Shanghai')).toEqual(['daily', 'weekly', 'monthly']);
      expect(await ensureKpiSummarySchedules(dev.client, q, 'Asia/Shanghai')).toEqual([]);
      const monthly = await dev.client.schedule.getHandle(kpiSummaryScheduleId('monthly')).describe();
      expect(monthly.spec.timezone).toBe('Asia/Shanghai');
      expect(monthly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'KpiSummaryReport', taskQueue: q });
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
