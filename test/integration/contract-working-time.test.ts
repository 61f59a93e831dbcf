// Working time (time skipping): the clocks a policy calls working time never remind or escalate on a weekend or holiday.
import { describe, expect, it } from 'vitest';
import { isWorkingDay, localDate } from '../../domain/calendar';
import type { Policy } from '../../domain/policy';
import { outcomeUpdate, repairDoneSignal } from '../../workflows/contract.messages';
import { actors, contractInput, HOUR, openContract, policyWith } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** A timer fires a few ms after its instant: compare to the second. */
const second = (at: string) => `${at.slice(0, 19)}Z`;

async function sleepUntil(ms: number): Promise<void> {
  const left = ms - (await w.env.currentTimeMs());
  if (left > 0) await w.env.sleep(left);
}

/** The first Sunday 10:00 Shanghai (02:00Z) at least two days ahead of the test clock. */
function nextSunday(now: number): number {
  const day = new Date(now + 2 * DAY);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return midnight + ((7 - new Date(midnight).getUTCDay()) % 7) * DAY + 2 * HOUR;
}

/** Weekends only, unless holidays are given; the not-reached retry two days later, so working time shows. */
function policy(working: boolean, holidays: string[] = []): Policy {
  return policyWith((p) => {
    p.version = working ? 'working-time-test' : 'calendar-time-test';
    p.calendar.publicHolidays = holidays.map((date) => ({ date, name: 'Test Holiday' }));
    p.calendar.makeUpWorkingDays = [];
    p.callbacks.notReachedRetry = 'P2D';
    if (!working) delete p.callbacks.workingTimeClocks;
  });
}

async function clockEvents(contractNo: string) {
  const events = await w.db.models.ContractEvent.find({ contractNo, type: { $in: ['callback_reminder', 'callback_overdue'] } })
    .sort({ seq: 1 })
    .lean();
  return events.map((e) => ({
    type: e.type,
    callbackId: String((e.data as { callbackId: string }).callbackId)
      .split('.')
      .slice(1)
      .join('.'),
    at: second(e.at.toISOString()),
  }));
}

async function dueOf(id: string): Promise<string | undefined> {
  const at = (await w.db.models.Callback.findById(id).lean())?.dueAt.toISOString();
  return at && second(at);
}

describe('working-time clocks', () => {
  it('a call due on a Friday reminds on Monday and escalates on Tuesday; older policies keep calendar time', async () => {
    const sunday = nextSunday(await w.env.currentTimeMs());
    const friday = sunday + 5 * DAY;
    const open = (working: boolean) =>
      openContract(
        w.env.client,
        w.db.models,
        w.taskQueue,
        contractInput({ contractSignedAt: iso(sunday), plannedCompletionAt: iso(sunday + 90 * DAY), policy: policy(working) }),
      );
    const [working, calendar, workingRetry, calendarRetry] = await Promise.all([open(true), open(false), open(true), open(false)]);
    const no = (h: { workflowId: string }) => h.workflowId.replace(/^project-/, '');
    // A warranty repair finished on Thursday: three working days later is Tuesday; three calendar days is Sunday, moved to Monday.
    for (const h of [working, calendar]) await h.signal(repairDoneSignal, { complaintId: 'K-1', completedAt: iso(friday - DAY) });

    // Friday 15:00 Shanghai: the customer is not reached; the retry two days later.
    await sleepUntil(friday + 5 * HOUR);
    for (const h of [workingRetry, calendarRetry]) {
      await h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId: `${no(h)}.after_signing.1`, result: 'not_reached' }] });
    }
    // Working time: Friday's last 9 hours, Monday, then Tuesday until 15:00. Calendar time: Sunday 15:00, moved to Monday.
    // The retry counts from when the outcome was recorded, which under load is a few seconds after 15:00.
    const lateBy = async (id: string, expected: number) => Date.parse((await dueOf(id))!) - expected;
    expect(await lateBy(`${no(workingRetry)}.after_signing.1`, friday + 4 * DAY + 5 * HOUR)).toBeGreaterThanOrEqual(0);
    expect(await lateBy(`${no(workingRetry)}.after_signing.1`, friday + 4 * DAY + 5 * HOUR)).toBeLessThan(60_000);
    expect(await lateBy(`${no(calendarRetry)}.after_signing.1`, friday + 3 * DAY + 5 * HOUR)).toBeGreaterThanOrEqual(0);
    expect(await lateBy(`${no(calendarRetry)}.after_signing.1`, friday + 3 * DAY + 5 * HOUR)).toBeLessThan(60_000);

    await sleepUntil(friday + 4 * DAY + 12 * HOUR);
    const afterSigning = (events: Awaited<ReturnType<typeof clockEvents>>) => events.filter((e) => e.callbackId === 'after_signing.1');
    expect(afterSigning(await clockEvents(no(working)))).toEqual([
      { type: 'callback_reminder', callbackId: 'after_signing.1', at: second(iso(friday + 3 * DAY)) },
      { type: 'callback_overdue', callbackId: 'after_signing.1', at: second(iso(friday + 4 * DAY)) },
    ]);
    expect(afterSigning(await clockEvents(no(calendar)))).toEqual([
      { type: 'callback_reminder', callbackId: 'after_signing.1', at: second(iso(friday + DAY)) },
      { type: 'callback_overdue', callbackId: 'after_signing.1', at: second(iso(friday + 2 * DAY)) },
    ]);
    expect(await dueOf(`${no(working)}.post_repair.K-1`)).toBe(second(iso(friday + 4 * DAY)));
    expect(await dueOf(`${no(calendar)}.post_repair.K-1`)).toBe(second(iso(friday + 3 * DAY)));
    // The supervisor heard of the working-time call on Tuesday, not over the weekend.
    const escalations = await w.db.models.Notification.find({ caseId: no(working), type: 'callback_overdue' }).lean();
    expect(escalations.map((n) => n.recipientRole)).toEqual(['supervisor']);
    for (const e of await clockEvents(no(working))) expect(isWorkingDay(localDate(Date.parse(e.at), 'Asia/Shanghai'), policy(true).calendar), e.at).toBe(true);
  });

  it('a call due before a holiday neither reminds nor escalates during it', async () => {
    const sunday = nextSunday((await w.env.currentTimeMs()) + 7 * DAY);
    const friday = sunday + 5 * DAY;
    // Monday and Tuesday after the Friday call are public holidays.
    const holidays = [3, 4].map((d) => localDate(friday + d * DAY, 'Asia/Shanghai'));
    const p = policy(true, holidays);
    const h = await openContract(
      w.env.client,
      w.db.models,
      w.taskQueue,
      contractInput({ contractSignedAt: iso(sunday), plannedCompletionAt: iso(sunday + 90 * DAY), policy: p }),
    );
    const no = h.workflowId.replace(/^project-/, '');
    await sleepUntil(friday + 6 * DAY + 12 * HOUR);
    const events = await clockEvents(no);
    expect(events).toEqual([
      { type: 'callback_reminder', callbackId: 'after_signing.1', at: second(iso(friday + 5 * DAY)) },
      { type: 'callback_overdue', callbackId: 'after_signing.1', at: second(iso(friday + 6 * DAY)) },
    ]);
    for (const e of events) expect(isWorkingDay(localDate(Date.parse(e.at), 'Asia/Shanghai'), p.calendar), e.at).toBe(true);
  });
});
