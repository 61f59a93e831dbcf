// One contract's whole lifecycle live on the dev server, with a policy in seconds instead of days.
import { expect, it } from 'vitest';
import { registeredSearchAttributes } from '../../api/services/search-attributes.service';
import { milestoneUpdate, outcomeUpdate, contractStateQuery, type ContractState } from '../../workflows/contract.messages';
import { actors, openContract, policyWith, contractInput } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';

const w = useCaseWorld('dev');

const SECONDS = policyWith((p) => {
  p.version = 'schedule-seconds';
  p.callbacks = {
    ...p.callbacks,
    afterSigning: 'PT1S',
    afterWorkStart: ['PT1S', 'PT2S'],
    constructionInterval: 'PT2S',
    afterCompletion: 'PT1S',
    warrantyInterval: 'PT2S',
    reminderAfter: 'PT30S',
    overdueAfter: 'PT60S',
  };
  p.calendar.shiftToWorkingDay = false;
});

it('runs signing → construction → completion → warranty → closed by itself, every call answered as it comes due', async () => {
  const now = Date.now();
  const input = contractInput({
    policy: SECONDS,
    contractSignedAt: new Date(now).toISOString(),
    plannedCompletionAt: new Date(now + 60_000).toISOString(),
    warrantyMonths: 3,
    indexedAttributes: await registeredSearchAttributes(w.env.connection, 'default'),
  });
  const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
  const phases = new Set<string>();
  const answered = new Set<string>();
  const answer = async (s: ContractState) => {
    phases.add(s.phase);
    for (const c of s.open) {
      if (answered.has(c.id)) continue;
      answered.add(c.id);
      await h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId: c.id, result: 'satisfied' }] });
    }
  };
  const until = async (pred: (s: ContractState) => boolean) => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
      const s = await h.query(contractStateQuery);
      await answer(s);
      if (pred(s)) return;
    }
    throw new Error('the schedule did not get there in 30 s');
  };

  await until((s) => s.created.some((id) => id.endsWith('after_signing.1')));
  await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'work_started', at: new Date().toISOString() }] });
  await until((s) => s.created.some((id) => id.includes('.construction.2')));
  await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'completed', at: new Date().toISOString() }] });
  // Warranty: 3 intervals of 2 s after completion, then the schedule closes and the workflow completes.
  await until((s) => s.phase === 'closed' && s.open.length === 0);
  const result = await h.result();
  expect(result.phase).toBe('closed');
  expect([...phases]).toEqual(expect.arrayContaining(['signed', 'construction', 'warranty', 'closed']));
  const kinds = (await w.db.models.Callback.find({ contractNo: input.contractNo }).lean()).map((c) => c.kind);
  expect(kinds.filter((k) => k === 'warranty')).toHaveLength(3);
  expect(kinds).toEqual(expect.arrayContaining(['after_signing', 'construction', 'completion']));
  expect((await w.db.models.Callback.find({ contractNo: input.contractNo, status: { $ne: 'done' } }).lean()).length).toBe(0);
  const desc = await h.describe();
  expect(desc.searchAttributes.Phase).toEqual(['closed']);
});
