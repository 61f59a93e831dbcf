// Records a contract callback-schedule history (signing, late work start, outcomes, pennant, a calendar published mid-way) into a new file; bump the name on the next recording.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { publishCalendar } from '../../db/calendar-store';
import { localYear } from '../../domain/calendar';
import { calendarPublishedSignal, milestoneUpdate, outcomeUpdate, contractStateQuery } from '../../workflows/contract.messages';
import { actors, HOUR, openContract, contractInput } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');
const DAY = 24 * HOUR;

it('records a contract schedule from signing into construction', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    const h = await openContract(
      env.client,
      db.models,
      taskQueue,
      contractInput({ contractSignedAt: new Date(now - 3 * DAY).toISOString(), plannedCompletionAt: new Date(now + 40 * DAY).toISOString() }),
    );
    // The after-signing call lands on a working day (calendar-aware calls), so wait up to a week for it to be due.
    let open = (await h.query(contractStateQuery)).open;
    for (let d = 0; d < 7 && !open.length; d++) {
      await env.sleep(DAY);
      open = (await h.query(contractStateQuery)).open;
    }
    await h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId: open[0]!.id, result: 'not_reached' }] });
    await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'work_started', at: new Date(now + 2 * DAY).toISOString() }] });
    await env.sleep(10 * DAY);
    // A calendar for the current year published mid-way: the schedule fetches it again on the signal (calendars-as-data).
    const year = localYear(await env.currentTimeMs(), 'Asia/Shanghai');
    const cal = await publishCalendar(db.models, {
      year,
      publicHolidays: [{ date: `${year}-12-25`, name: 'Test Day' }],
      makeUpWorkingDays: [],
      source: 'record',
      by: 'recorder',
    });
    await h.signal(calendarPublishedSignal, { year, version: cal.calendar.version });
    await env.sleep(10 * DAY);
    await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'pennant_received', at: new Date(now + 20 * DAY).toISOString() }] });
    // Only the last run's history is exported; end inside the construction run so it holds the most kinds of event.
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', h.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'contract-schedule-v6-perf.json'), json);
  });
  await env.teardown();
  await db.close();
});
