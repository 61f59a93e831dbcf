// Follow-up calls that neither resolve nor escalate (patched follow-up-outcomes): not reached, in progress.
import { describe, expect, it } from 'vitest';
import { acknowledgeUpdate, followUpUpdate, stateQuery } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase } from '../support/fixtures';

const w = useCaseWorld('time-skipping');

describe('follow-up outcomes that do not escalate', () => {
  it('records not reached (with the next try) and in progress, keeps round, level and deadline, and the clock still escalates', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(24 * HOUR + MINUTE);
    const before = await handle.query(stateQuery);
    expect(before).toMatchObject({ step: 'follow_up', round: 1, level: 'assistant' });

    const missed = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'not_reached' }] });
    expect(missed).toMatchObject({ status: 'open', step: 'follow_up', round: 1, level: 'assistant', followUps: before.followUps });
    expect(missed.deadline).toEqual(before.deadline);
    const informed = await handle.executeUpdate(followUpUpdate, {
      args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'in_progress', notes: 'Tiles ordered' }],
    });
    expect(informed).toMatchObject({ round: 1, level: 'assistant', followUps: before.followUps + 1 });
    expect(informed.deadline).toEqual(before.deadline);

    const entries = (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'follow_up');
    expect(entries.map((e) => (e.data as { outcome?: string }).outcome)).toEqual(['not_reached', 'in_progress']);
    const retryAt = Date.parse((entries[0]!.data as { retryAt: string }).retryAt);
    // The policy's notReachedRetry (one day), moved to a working day at most past a holiday week.
    expect(retryAt - entries[0]!.at.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
    expect(retryAt - entries[0]!.at.getTime()).toBeLessThan(10 * 24 * HOUR);

    // The round's clock kept running: at its deadline the case moves to round 2 by itself.
    await w.env.sleep(48 * HOUR);
    expect(await handle.query(stateQuery)).toMatchObject({ round: 2 });
  });
});
