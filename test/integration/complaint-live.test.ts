// One whole ladder live on the dev server, with a policy in seconds instead of days.
import { expect, it } from 'vitest';
import { registeredSearchAttributes } from '../../api/services/search-attributes.service';
import { acknowledgeUpdate, stateQuery } from '../../workflows/complaint.messages';
import { actors, complaintInput, history, openCase, policyWith } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';

const w = useCaseWorld('dev');

const SECONDS_POLICY = policyWith((p) => {
  p.version = 'demo-seconds';
  p.complaint.firstCallback = 'PT1S';
  p.complaint.branchFeedback = 'PT1S';
  p.complaint.priorityDeadlines = { high: 'PT1S', medium: 'PT2S', low: 'PT3S' };
});

it('walks to legal by itself in about ten seconds, indexed for the Web UI', async () => {
  const input = complaintInput({
    policy: SECONDS_POLICY,
    indexedAttributes: await registeredSearchAttributes(w.env.connection, 'default'),
  });
  // Taken before the start: the ladder's deadlines count from the opening, which a loaded machine may answer late.
  const started = Date.now();
  const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
  await expect.poll(async () => (await handle.query(stateQuery)).status, { timeout: 30_000, interval: 250 }).toBe('legal');
  // 1 s callback + 1 s feedback + 4 rounds × 2 s.
  expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  // The state moves first and the case file follows a moment later, so the file is polled.
  const escalations = async () =>
    (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'escalated').map((e) => (e.data as { to: string }).to);
  await expect.poll(escalations, { timeout: 10_000 }).toEqual(['supervisor', 'director', 'legal']);
  const desc = await handle.describe();
  expect(desc.searchAttributes.EscalationLevel).toEqual(['legal']);
  expect(desc.searchAttributes.CaseStatus).toEqual(['legal']);
  expect(desc.searchAttributes.Round).toEqual([4]);
});

it('runs a case in a namespace that lacks our search attributes, unindexed rather than failing', async () => {
  const input = complaintInput({ indexedAttributes: [] });
  const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
  const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
  expect(acked).toMatchObject({ acknowledged: true, step: 'branch_feedback' });
  expect((await handle.describe()).searchAttributes.EscalationLevel).toBeUndefined();
});
