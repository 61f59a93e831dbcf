// One whole ladder live on the dev server, with a policy in seconds instead of days.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registeredSearchAttributes } from '../../api/services/search-attributes.service';
import { stateQuery } from '../../workflows/complaint.messages';
import { complaintInput, history, openCase, policyWith } from '../support/fixtures';
import { devServerEnvironment, freshDatabase, testWorker, type TestDatabase } from '../support/harness';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `live-${randomUUID()}`;

const SECONDS_POLICY = policyWith((p) => {
  p.version = 'demo-seconds';
  p.complaint.firstCallback = 'PT1S';
  p.complaint.branchFeedback = 'PT1S';
  p.complaint.priorityDeadlines = { high: 'PT1S', medium: 'PT2S', low: 'PT3S' };
});

beforeAll(async () => {
  [env, db] = await Promise.all([devServerEnvironment(), freshDatabase()]);
  worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.close();
});

it('walks to legal by itself in about ten seconds, indexed for the Web UI', async () => {
  const input = complaintInput({
    policy: SECONDS_POLICY,
    indexedAttributes: await registeredSearchAttributes(env.connection, 'default'),
  });
  const handle = await openCase(env.client, db.models, taskQueue, input);
  const started = Date.now();
  await expect.poll(async () => (await handle.query(stateQuery)).status, { timeout: 30_000, interval: 250 }).toBe('legal');
  // 1 s callback + 1 s feedback + 4 rounds × 2 s.
  expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  const escalated = (await history(db.models, input.complaintId)).filter((e) => e.type === 'escalated');
  expect(escalated.map((e) => (e.data as { to: string }).to)).toEqual(['supervisor', 'director', 'legal']);
  const desc = await handle.describe();
  expect(desc.searchAttributes.EscalationLevel).toEqual(['legal']);
  expect(desc.searchAttributes.CaseStatus).toEqual(['legal']);
  expect(desc.searchAttributes.Round).toEqual([4]);
});
