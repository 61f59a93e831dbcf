// Every List Filter the README gives ops, run through the client against the dev server's visibility store.
import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { registeredSearchAttributes } from '../../api/services/search-attributes.service';
import { escalateUpdate, stateQuery } from '../../workflows/complaint.messages';
import { milestoneUpdate } from '../../workflows/contract.messages';
import { LIST_FILTERS } from '../../workflows/search-attributes';
import { actors, complaintInput, openCase, openContract, policyWith, contractInput } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';

const w = useCaseWorld('dev');
const branch = `b${randomUUID().slice(0, 6)}`;
const otherBranch = `o${randomUUID().slice(0, 6)}`;

const FAST = policyWith((p) => {
  p.version = 'filters-seconds';
  p.callbacks.reminderAfter = 'PT1S';
  p.callbacks.overdueAfter = 'PT2S';
});

async function ids(query: string, scope: string): Promise<string[]> {
  const out: string[] = [];
  for await (const wf of w.env.client.workflow.list({ query: `${query} AND TaskQueue = '${scope}'` })) out.push(wf.workflowId);
  return out.sort();
}

it('finds exactly the expected cases for each ready-made List Filter', async () => {
  const indexedAttributes = await registeredSearchAttributes(w.env.connection, 'default');
  expect(indexedAttributes).toHaveLength(12);
  const director = complaintInput({ branch, severity: 'major', indexedAttributes });
  const legal = complaintInput({ branch, indexedAttributes });
  const plain = complaintInput({ branch: otherBranch, indexedAttributes });
  const [hd, hl, hp] = (await Promise.all([director, legal, plain].map((i) => openCase(w.env.client, w.db.models, w.taskQueue, i)))) as [
    WorkflowHandle,
    WorkflowHandle,
    WorkflowHandle,
  ];
  for (const a of [actors.assistant, actors.supervisor, actors.director]) await hl.executeUpdate(escalateUpdate, { args: [{ actor: a }] });
  expect((await hl.query(stateQuery)).status).toBe('legal');

  const now = Date.now();
  const contract = contractInput({
    branch,
    policy: FAST,
    contractSignedAt: new Date(now - 10 * 86_400_000).toISOString(),
    plannedCompletionAt: new Date(now + 90 * 86_400_000).toISOString(),
    indexedAttributes,
  });
  const calm = contractInput({ branch: otherBranch, policy: FAST, contractSignedAt: new Date(now + 86_400_000).toISOString(), indexedAttributes });
  const hc = await openContract(w.env.client, w.db.models, w.taskQueue, contract);
  await openContract(w.env.client, w.db.models, w.taskQueue, calm);
  await hc.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'work_started', at: new Date(now - 9 * 86_400_000).toISOString() }] });

  const q = (query: string) => ids(query, w.taskQueue);
  const poll = (query: string, expected: string[]) => expect.poll(() => q(query), { timeout: 20_000, interval: 500 }).toEqual(expected.sort());

  await poll(LIST_FILTERS.directorLevel, [hd.workflowId]);
  await poll(LIST_FILTERS.inLegal, [hl.workflowId]);
  await poll(LIST_FILTERS.overdueCallbacksOfBranch(branch), [hc.workflowId]);
  await poll(LIST_FILTERS.overdueCallbacksOfBranch(otherBranch), []);
  const linked = await openCase(w.env.client, w.db.models, w.taskQueue, complaintInput({ branch, contractNo: contract.contractNo, indexedAttributes }));
  await poll(LIST_FILTERS.everythingOfContract(contract.contractNo), [hc.workflowId, linked.workflowId]);
  await poll(LIST_FILTERS.contractsInPhase('construction'), [hc.workflowId]);
  // Open complaints have their first-callback deadline within minutes; the legal one has none.
  await poll(LIST_FILTERS.deadlineBefore(new Date(now + 3_600_000).toISOString()), [hd.workflowId, hp.workflowId, linked.workflowId, hc.workflowId]);
  await poll(LIST_FILTERS.lateRoundsOfBranch(branch), []);
});
