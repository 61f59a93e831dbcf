// Calendars as data: publishing a year (admin only, validated, idempotent) and a running schedule re-planning with it.
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarMissingNoticeId } from '../../activities/calendar.activities';
import { createApp } from '../../api/app';
import { chineseCalendarYear, publishCalendar, SEED_SOURCE, seedCalendars } from '../../db/calendar-store';
import { isWorkingDay, withYearCalendars } from '../../domain/calendar';
import { contractStateQuery, milestoneUpdate } from '../../workflows/contract.messages';
import { actors, contractInput, openContract, POLICY } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';

const w = useCaseWorld('time-skipping');
let api: Awaited<ReturnType<typeof serve>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await serve(createApp(testAppDeps(w.env, w.db.models, w.taskQueue)).app);
  tokens.admin = await token(['admin']);
  tokens.assistant = await token(['assistant'], { branches: ['north', 'south'] });
});
afterAll(async () => {
  await api?.close();
});

/** An illustrative 2027 calendar (test data, not the State Council's). */
const CAL_2027 = {
  source: 'test: illustrative 2027 notice',
  publicHolidays: [
    ...['01', '02', '03'].map((d) => ({ date: `2027-01-${d}`, name: "New Year's Day" })),
    ...['06', '07', '08', '09', '10', '11', '12'].map((d) => ({ date: `2027-02-${d}`, name: 'Spring Festival' })),
    ...['01', '02', '03', '04', '05'].map((d) => ({ date: `2027-05-${d}`, name: 'Labour Day' })),
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2027-10-${d}`, name: 'National Day' })),
  ],
  makeUpWorkingDays: ['2027-02-20', '2027-05-08', '2027-10-09'],
};

const put = (year: number | string, body: unknown, role = 'admin') => api.call('PUT', `/v1/calendars/${year}`, { token: tokens[role], body });

async function sleepUntil(iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await w.env.currentTimeMs());
  if (ms > 0) await w.env.sleep(ms);
}

async function callbacks(contractNo: string) {
  const docs = await w.db.models.Callback.find({ contractNo }).sort({ dueAt: 1, _id: 1 }).lean();
  return docs.map((d) => ({ id: d._id.slice(contractNo.length + 1), dueAt: d.dueAt.toISOString() }));
}

async function upcoming(contractNo: string) {
  const res = await api.call('GET', `/v1/contracts/${contractNo}`, { token: tokens.assistant });
  expect(res.status).toBe(200);
  return res.body.upcoming as { id: string; kind: string; dueAt: string; calendarVersion: string }[];
}

const milestone = (h: WorkflowHandle, type: string, at: string) =>
  h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: type as never, at }] });

describe('calendar API', () => {
  it('publishes a year once per content, versions changes, and refuses what is not a calendar of that year', async () => {
    const days = { source: 'test', publicHolidays: [{ date: '2031-01-01', name: "New Year's Day" }], makeUpWorkingDays: [] };
    expect((await api.call('GET', '/v1/calendars/2031', { token: tokens.assistant })).status).toBe(404);
    expect((await put(2031, days, 'assistant')).status).toBe(403);

    const outside = await put(2031, { ...days, publicHolidays: [{ date: '2030-12-31', name: 'Eve' }] });
    expect(outside.status).toBe(422);
    expect(outside.body.error).toMatchObject({ code: 'RULE_VIOLATED', details: [{ rule: 'calendar_consistent' }] });
    // 2031-01-02 is a Thursday: a make-up working day must be a weekend day.
    expect((await put(2031, { ...days, makeUpWorkingDays: ['2031-01-02'] })).status).toBe(422);
    expect((await put(2031, { ...days, makeUpWorkingDays: ['2031-01-01'] })).status).toBe(422);
    expect((await put(2031, { ...days, extra: 1 })).status).toBe(400);
    expect((await put(1999, days)).status).toBe(400);
    expect(await w.db.models.Calendar.countDocuments({ _id: '2031' })).toBe(0);

    const first = await put(2031, days);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ year: 2031, version: 1, changed: true, publishedBy: 'staff-admin' });
    const again = await put(2031, days);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, changed: false });
    const changed = await put(2031, { ...days, publicHolidays: [...days.publicHolidays, { date: '2031-05-01', name: 'Labour Day' }] });
    expect(changed.body).toMatchObject({ version: 2, changed: true });
    const read = await api.call('GET', '/v1/calendars/2031', { token: tokens.assistant });
    expect(read.body).toMatchObject({ year: 2031, version: 2, source: 'test' });
    expect(read.body.publicHolidays).toHaveLength(2);
    const stored = await w.db.models.Calendar.findById('2031').lean();
    expect(stored!.history.map((h: { version: number }) => h.version)).toEqual([1, 2]);
  });
});

describe('seeding from chinese-days', () => {
  it('stores each bundled year once and never overwrites a published version', async () => {
    await publishCalendar(w.db.models, { year: 2025, ...chineseCalendarYear(2025), source: 'admin', by: 'staff-admin' });
    await publishCalendar(w.db.models, { year: 2025, publicHolidays: [], makeUpWorkingDays: [], source: 'admin', by: 'staff-admin' });
    expect(await seedCalendars(w.db.models, [2024, 2025, 2026])).toEqual([2024, 2026]);
    expect(await seedCalendars(w.db.models, [2024, 2025, 2026])).toEqual([]);
    const y2026 = await api.call('GET', '/v1/calendars/2026', { token: tokens.assistant });
    expect(y2026.body).toMatchObject({ year: 2026, version: 1, source: SEED_SOURCE });
    expect(y2026.body.publicHolidays).toEqual(chineseCalendarYear(2026).publicHolidays);
    expect((await api.call('GET', '/v1/calendars/2025', { token: tokens.assistant })).body).toMatchObject({ version: 2, source: 'admin', publicHolidays: [] });
  });
});

describe('a running schedule and a calendar published mid-way', () => {
  it('moves its 2027 calls off 2027 holidays without a restart and greets the 2027 holidays', async () => {
    const now = await w.env.currentTimeMs();
    const input = contractInput({
      policy: POLICY,
      contractSignedAt: new Date(now).toISOString(),
      plannedCompletionAt: '2027-03-01T01:00:00.000Z',
      warrantyMonths: 24,
    });
    const c = input.contractNo;
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);

    await sleepUntil('2026-12-07T01:00:00Z');
    await milestone(h, 'work_started', '2026-12-07T01:00:00Z');
    // 2027 has no calendar: 25 days after the work start is Friday 2027-01-01, planned on weekends only.
    expect((await upcoming(c)).find((p) => p.id === `${c}.construction.2`)).toEqual({
      id: `${c}.construction.2`,
      kind: 'construction',
      dueAt: '2027-01-01T01:00:00.000Z',
      calendarVersion: 'weekends-only',
    });

    // Once the next call is in 2027, the case is flagged and admin told, once.
    await sleepUntil('2026-12-18T01:00:00Z');
    expect((await h.query(contractStateQuery)).calendarsMissing).toEqual([2027]);
    expect(await w.db.models.Notification.countDocuments({ _id: calendarMissingNoticeId(2027), recipientRole: 'admin' })).toBe(1);

    // The same run takes the calendar: no restart, no new run.
    const runId = (await h.describe()).runId;
    expect((await put(2027, CAL_2027)).status).toBe(201);
    await sleepUntil('2026-12-21T01:00:00Z');
    const state = await h.query(contractStateQuery);
    expect(state.calendarsMissing).toEqual([]);
    expect(state.calendars?.map((y) => [y.year, y.version])).toContainEqual([2027, 1]);
    expect((await h.describe()).runId).toBe(runId);
    const plan = await upcoming(c);
    expect(plan.find((p) => p.id === `${c}.construction.2`)).toMatchObject({ dueAt: '2027-01-04T01:00:00.000Z', calendarVersion: '2027-v1' });
    expect(plan.find((p) => p.id === `${c}.holiday_greeting.2027-01-01`)).toMatchObject({ dueAt: '2027-01-01T02:00:00.000Z' });

    await sleepUntil('2027-03-01T01:00:00Z');
    await milestone(h, 'completed', '2027-03-01T01:00:00Z');
    await sleepUntil('2027-10-12T01:00:00Z');

    const cal = withYearCalendars(POLICY.calendar, [{ year: 2027, version: 1, ...CAL_2027 }]);
    const made = await callbacks(c);
    const byId = Object.fromEntries(made.map((m) => [m.id, m.dueAt]));
    // Greetings of the holidays that fell while work was under way.
    expect(byId['holiday_greeting.2027-01-01']).toBe('2027-01-01T02:00:00.000Z');
    expect(byId['holiday_greeting.2027-02-06']).toBe('2027-02-06T02:00:00.000Z');
    expect(byId['construction.2']).toBe('2027-01-04T01:00:00.000Z');
    // Labour Day runs 05-01..05-05: the 05-01 warranty call is made on Thursday 05-06; National Day's on Friday 10-08.
    expect(byId['warranty.2']).toBe('2027-05-06T01:00:00.000Z');
    expect(byId['warranty.7']).toBe('2027-10-08T01:00:00.000Z');
    // Every 2027 call other than a greeting lands on a working day of the published calendar.
    const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const m of made.filter((x) => x.dueAt.startsWith('2027') && !x.id.startsWith('holiday_greeting'))) {
      expect(isWorkingDay(local(m.dueAt), cal), `${m.id} ${m.dueAt}`).toBe(true);
    }
    // Later years are planned on weekends only until their calendar is published.
    expect((await upcoming(c)).filter((p) => p.dueAt.startsWith('2028')).every((p) => p.calendarVersion === 'weekends-only')).toBe(true);
  }, 300_000);
});
