// Workflows on the time-skipping server with plain stub activities: no database, only the commands the cases send.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities, CaseEventInput, ScheduleChangeInput } from '../../activities/create-activities';
import { startOrAttach } from '../../api/services/case-workflows';
import { COMPLAINT_WORKFLOW, complaintWorkflowId, intakeUpdate, stateQuery } from '../../workflows/complaint.messages';
import { CONTRACT_WORKFLOW, contractStateQuery, contractWorkflowId, registrationUpdate } from '../../workflows/contract.messages';
import { complaintInput, contractInput, HOUR } from '../support/fixtures';
import { timeSkippingEnvironment } from '../support/harness';

type Env = Awaited<ReturnType<typeof timeSkippingEnvironment>>;

const caseEvents: CaseEventInput[] = [];
const scheduleChanges: ScheduleChangeInput[] = [];
const answer = { notificationsCreated: 0, notificationIds: [] as string[] };
const stubs: Activities = {
  recordCaseEvent: async (e) => {
    caseEvents.push(e);
    return answer;
  },
  recordScheduleChange: async (c) => {
    scheduleChanges.push(c);
    return answer;
  },
  writeLegalHandoff: async ({ complaintId, seq }) => `${complaintId}:${seq}`,
  createTask: async () => true,
  deliverNotification: async () => 'disabled',
  storeKpiSummary: async ({ period, label }) => ({ id: `${period}:${label}`, created: true }),
};

let env: Env;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `stub-${randomUUID()}`;

beforeAll(async () => {
  env = await timeSkippingEnvironment();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: stubs,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('cases with stubbed activities', () => {
  it('escalates an untouched complaint to legal by its own timers', async () => {
    const input = complaintInput();
    const workflowId = complaintWorkflowId(input.complaintId);
    await startOrAttach(env.client, { workflowType: COMPLAINT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'stub', opened: intakeUpdate });
    await env.sleep(40 * 24 * HOUR);
    const state = await env.client.workflow.getHandle(workflowId).query(stateQuery);
    expect(state).toMatchObject({ status: 'legal', level: 'legal' });
    const mine = caseEvents.filter((e) => e.complaintId === input.complaintId);
    expect(mine[0]!.event.type).toBe('opened');
    expect(mine.at(-1)!.event.type).toBe('legal_handoff');
  });

  it('registers a contract under the new workflow type and records its first entry', async () => {
    const input = contractInput();
    const workflowId = contractWorkflowId(input.contractNo);
    await startOrAttach(env.client, { workflowType: CONTRACT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'stub', opened: registrationUpdate });
    const handle = env.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).type).toBe('ContractCallbackSchedule');
    expect((await handle.query(contractStateQuery)).seq).toBeGreaterThan(0);
    expect(scheduleChanges.find((c) => c.contractNo === input.contractNo)?.event.type).toBe('registered');
  });

  it('still runs schedules started under the old type name', async () => {
    const input = contractInput();
    const handle = await env.client.workflow.start('RenovationCallbackSchedule', {
      taskQueue,
      workflowId: contractWorkflowId(input.contractNo),
      args: [input],
    });
    await handle.executeUpdate(registrationUpdate);
    expect((await handle.query(contractStateQuery)).phase).toBe('signed');
  });
});
