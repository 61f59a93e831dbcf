// Workflows on the time-skipping server with plain stub activities: no database, only the commands the cases send.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CaseStepInput, ContractStepInput } from '../../activities/create-activities';
import { temporal } from '@temporalio/proto';
import { startOrAttach } from '../../api/services/case-workflows';
import { COMPLAINT_WORKFLOW, complaintWorkflowId, intakeUpdate, stateQuery } from '../../workflows/complaint.messages';
import { CONTRACT_WORKFLOW, contractStateQuery, contractWorkflowId, registrationUpdate } from '../../workflows/contract.messages';
import { complaintInput, contractInput, HOUR } from '../support/fixtures';
import { timeSkippingEnvironment } from '../support/harness';
import { stubActivities } from '../support/stub-activities';

type Env = Awaited<ReturnType<typeof timeSkippingEnvironment>>;

const caseSteps: CaseStepInput[] = [];
const contractSteps: ContractStepInput[] = [];
const answer = { notificationsCreated: 0, notificationIds: [] as string[] };
const perEntry = async (): Promise<typeof answer> => {
  throw new Error('new cases write whole steps');
};
const stubs = stubActivities({
  recordCaseEvent: perEntry,
  recordScheduleChange: perEntry,
  recordCaseStep: async (step) => {
    caseSteps.push(step);
    return answer;
  },
  recordContractStep: async (step) => {
    contractSteps.push(step);
    return answer;
  },
});

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
    const steps = caseSteps.filter((e) => e.complaintId === input.complaintId);
    expect(steps[0]!.entries[0]!.event.type).toBe('opened');
    // The hand-over is one step: the missed deadline, the escalation, its packet and the handoff entry written together.
    const last = steps.at(-1)!;
    expect(last.entries.map((e) => e.event.type)).toEqual(['deadline_missed', 'escalated', 'legal_handoff']);
    expect(last.handoffSeq).toBe(last.entries[1]!.seq);
    const seqs = steps.flatMap((st) => st.entries.map((e) => e.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Each step its timers take costs one local write (a marker; no regular activity since step-writes-bounded-local),
    // at most one index update, and the step's workflow task: timer fired, task scheduled/started/completed, marker, next timer.
    const T = temporal.api.enums.v1.EventType;
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    expect(events.filter((e) => e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(0);
    const writes = events.filter((e) => e.eventType === T.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(writes).toHaveLength(steps.length);
    const timerSteps: Record<number, number>[] = [];
    for (const e of events) {
      if (e.eventType === T.EVENT_TYPE_TIMER_FIRED) timerSteps.push({});
      const step = timerSteps.at(-1);
      if (step) step[e.eventType ?? 0] = (step[e.eventType ?? 0] ?? 0) + 1;
    }
    expect(timerSteps.length).toBeGreaterThan(5);
    for (const step of timerSteps) {
      expect(step[T.EVENT_TYPE_MARKER_RECORDED] ?? 0).toBeLessThanOrEqual(1);
      expect(step[T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED] ?? 0).toBe(1);
      expect(step[T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES] ?? 0).toBeLessThanOrEqual(1);
    }
  });

  it('registers a contract under the new workflow type and records its first entry', async () => {
    const input = contractInput();
    const workflowId = contractWorkflowId(input.contractNo);
    await startOrAttach(env.client, { workflowType: CONTRACT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'stub', opened: registrationUpdate });
    const handle = env.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).type).toBe('ContractCallbackSchedule');
    expect((await handle.query(contractStateQuery)).seq).toBeGreaterThan(0);
    expect(contractSteps.find((c) => c.contractNo === input.contractNo)?.entries[0]?.event.type).toBe('registered');
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
