// One durable case per complaint: wires staff actions to the case and runs its clock; the decisions live in complaint-case.ts.
import * as wf from '@temporalio/workflow';
import { caseActivities, createCaseRuntime } from './case-runtime';
import { registerComplaintActions } from './complaint-actions';
import { approvalTimer, earliest } from './complaint-approvals';
import { Complaint, initialComplaintState } from './complaint-case';
import { finished, nextTimer, wakeAt } from './complaint-clock';
import { intakeUpdate, stateQuery, type ComplaintInput, type ComplaintState } from './complaint.messages';
import { contractWorkflowId, repairDoneSignal } from './contract.messages';

export async function ComplaintCase(input: ComplaintInput, carried?: ComplaintState): Promise<ComplaintState> {
  const state: ComplaintState = carried ?? initialComplaintState(input);
  const runtime = createCaseRuntime(state, input.indexedAttributes);
  const escalations = wf.metricMeter.createCounter('case_escalations', 'escalations', 'Complaint escalations by level reached');
  const c = new Complaint(input, state, {
    ...runtime.effects,
    activities: {
      recordCaseEvent: caseActivities.recordCaseEvent,
      writeLegalHandoff: caseActivities.writeLegalHandoff,
      createTask: caseActivities.createTask,
      recordCaseStep: runtime.steps.recordCaseStep,
    },
    signalRepairDone: (contractNo, repair) => wf.getExternalWorkflowHandle(contractWorkflowId(contractNo)).signal(repairDoneSignal, repair),
    countEscalation: (level) => escalations.add(1, { level }),
  });

  runtime.onTransitionEnd(() => c.file.flush());

  wf.setHandler(stateQuery, () => state);
  let intakeDone = carried !== undefined;
  // Sent with the start: answers once intake is recorded, so the api replies with the case as it stands.
  wf.setHandler(intakeUpdate, async () => {
    await wf.condition(() => intakeDone);
    return { ...state };
  });
  // Intake runs once per case, first in the lock, so any update that comes with or right after the start waits for it.
  if (!carried) {
    // Intake counts as done once its write has ended (after the lock section), so the api never reads a half-written case.
    void runtime
      .exclusive(async () => {
        wf.metricMeter.createCounter('cases_opened', 'cases', 'Cases opened').add(1, { kind: `complaint:${state.kind}` });
        await c.open(wf.workflowInfo().startTime.getTime());
      })
      .then(() => {
        intakeDone = true;
      });
  }
  // Registered after intake is queued: an action sent right after the start (buffered into the first task, delivered as
  // its handler is set) waits behind the opening in the lock instead of running before it.
  registerComplaintActions(c, runtime.onUpdate);

  // The case's clock: wake at the next timer or on any change, whichever comes first.
  while (!finished(c)) {
    if (wf.workflowInfo().continueAsNewSuggested) {
      await runtime.settle();
      await wf.continueAsNew<typeof ComplaintCase>(input, state);
    }
    const timer = earliest(nextTimer(c), approvalTimer(c));
    if (timer && timer.at <= Date.now()) {
      await runtime.exclusive(async () => {
        const due = earliest(nextTimer(c), approvalTimer(c));
        if (due && due.at <= Date.now()) await due.fire();
      });
      continue;
    }
    await runtime.waitForChange(wakeAt(c, timer));
  }
  await runtime.settle();
  return state;
}
