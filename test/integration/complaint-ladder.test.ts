import { describe, expect, it } from 'vitest';
import { stateQuery, followUpUpdate, acknowledgeUpdate } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase } from '../support/fixtures';

const w = useCaseWorld('time-skipping');

describe('complaint ladder with nobody acting', () => {
  it('escalates assistant → supervisor → director → legal at the policy times', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const started = Date.parse((await handle.describe()).startTime.toISOString());

    // 3 min callback + 24 h feedback + four rounds of 48 h (medium priority), and a little slack.
    await w.env.sleep(3 * MINUTE + 24 * HOUR + 4 * 48 * HOUR + MINUTE);
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('legal');
    expect(state.level).toBe('legal');
    expect(state.round).toBe(4);

    const events = await history(w.db.models, input.complaintId);
    const escalations = events
      .filter((e) => e.type === 'escalated')
      .map((e) => ({ to: (e.data as { to: string }).to, afterMin: Math.round((e.at.getTime() - started) / MINUTE) }));
    const base = 3 + 24 * 60;
    expect(escalations).toEqual([
      { to: 'supervisor', afterMin: base + 2 * 48 * 60 },
      { to: 'director', afterMin: base + 3 * 48 * 60 },
      { to: 'legal', afterMin: base + 4 * 48 * 60 },
    ]);
    const missed = events.filter((e) => e.type === 'deadline_missed').map((e) => (e.data as { step: string }).step);
    expect(missed).toEqual(['first_callback', 'branch_feedback', 'follow_up', 'follow_up', 'follow_up', 'follow_up']);

    const warnings = events.filter((e) => e.type === 'warning');
    // Two warnings (50 %, 75 %) before each of the six deadlines.
    expect(warnings).toHaveLength(12);
    // Measured from the opening the case recorded: its clocks start at its first task, seconds after startTime under load.
    const openedAt = events.find((e) => e.type === 'opened')!.at.getTime();
    expect((warnings[0]!.at.getTime() - openedAt) / MINUTE).toBeCloseTo(1.5, 1);
    expect((warnings[1]!.at.getTime() - openedAt) / MINUTE).toBeCloseTo(2.25, 1);

    const doc = await w.db.models.Complaint.findById(input.complaintId).lean();
    expect(doc).toMatchObject({ status: 'legal', level: 'legal', round: 4 });
    const handoff = await w.db.models.Handoff.findOne({ complaintId: input.complaintId }).lean();
    expect(handoff?.history.length).toBeGreaterThan(10);
    // Legal hears of the director's missed round, the escalation and the handoff packet: once each.
    const legalNotes = await w.db.models.Notification.find({ caseId: input.complaintId, recipientRole: 'legal' }).lean();
    expect(legalNotes.map((n) => n.type).sort()).toEqual(['deadline_missed', 'escalated', 'legal_handoff']);
  });

  // Round n starts 24 h (feedback) + (n-1) × 48 h after the callback; its owner follows the policy ladder.
  it.each([
    [1, 'assistant'],
    [2, 'assistant'],
    [3, 'supervisor'],
    [4, 'director'],
  ] as const)('ends the ladder when the customer is satisfied in round %i (owner %s)', async (round, level) => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(24 * HOUR + (round - 1) * 48 * HOUR + MINUTE);
    expect(await handle.query(stateQuery)).toMatchObject({ round, level, step: 'follow_up' });
    const state = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    expect(state).toMatchObject({ status: 'resolved', level, round });
    // Nothing escalates a satisfied customer's case any more.
    await w.env.sleep(30 * 24 * HOUR);
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'resolved', level, round });
  });

  it('moves to the next round at once when the customer is still unsatisfied', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(24 * HOUR + MINUTE);
    let state = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    expect(state).toMatchObject({ round: 2, level: 'assistant' });
    state = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    expect(state).toMatchObject({ round: 3, level: 'supervisor' });
    const urge = await w.db.models.Notification.countDocuments({ caseId: input.complaintId, type: 'round_started', recipientRole: 'branch' });
    expect(urge).toBe(3);
  });
});
