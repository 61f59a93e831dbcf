// A step write slower than the workflow task (the worker heartbeats the task) while a repeated intake update arrives:
// the history must replay. With an unbounded local step write it did not (found by the fault suite, issue 15); the
// bounded one (step-writes-bounded-local) gives up the slow attempt before the task's heartbeat and retries by timer.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startOrAttach } from '../../api/services/case-workflows';
import { COMPLAINT_WORKFLOW, complaintWorkflowId, intakeUpdate, stateQuery } from '../../workflows/complaint.messages';
import { complaintInput, policyWith } from '../support/fixtures';
import { devServerEnvironment } from '../support/harness';
import { stubActivities } from '../support/stub-activities';

type Env = Awaited<ReturnType<typeof devServerEnvironment>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let calls = 0;
const stubs = stubActivities({
  recordCaseStep: async (step) => {
    // The step after intake takes longer than 80 % of the 10 s workflow task timeout (a loaded or recovering database).
    if (++calls === 2) await sleep(9_000);
    return { notificationsCreated: 1, notificationIds: [`${step.complaintId}:${step.entries[0]?.seq ?? 0}:assistant`] };
  },
  deliverNotification: async () => 'delivered',
});

let env: Env;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `slow-step-${randomUUID()}`;

beforeAll(async () => {
  env = await devServerEnvironment();
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: inject('workflowBundlePath') }, activities: stubs });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

it('a repeated intake arriving while the first step write is still running: both answered, the history replays', async () => {
  const input = complaintInput({
    policy: policyWith((p) => {
      p.complaint.firstCallback = 'PT1S';
    }),
  });
  const workflowId = complaintWorkflowId(input.complaintId);
  const start = () =>
    startOrAttach(env.client, { workflowType: COMPLAINT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'slow', opened: intakeUpdate });
  const a = await start();
  // The first callback deadline passes after 1 s; its step write then runs 9 s; the repeat arrives in the middle.
  await sleep(4_000);
  const b = await start();
  expect(a?.complaintId).toBe(input.complaintId);
  expect(b?.complaintId).toBe(input.complaintId);
  const handle = env.client.workflow.getHandle(workflowId);
  await expect.poll(async () => (await handle.query(stateQuery)).seq, { timeout: 20_000 }).toBeGreaterThan(0);
  await sleep(2_000);
  const history = await handle.fetchHistory();
  await handle.terminate('test done');
  // The slow attempt was abandoned and the write retried, so the step was written, not lost.
  expect(calls).toBeGreaterThanOrEqual(3);
  await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, workflowId);
}, 60_000);
