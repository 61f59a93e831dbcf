// One durable callback schedule per renovation contract, from signing to the end of the warranty; decisions in contract-schedule.ts.
import * as wf from '@temporalio/workflow';
import { caseActivities, createCaseRuntime } from './case-runtime';
import { registerContractActions, repairDone } from './contract-actions';
import { registerContractAdjustments } from './contract-adjustments';
import { cancellationTimer, earliest, registerContractCancellation } from './contract-cancellation';
import { ContractSchedule } from './contract-schedule';
import {
  calendarPublishedSignal,
  contractStateQuery,
  initialContractState,
  registrationUpdate,
  repairDoneSignal,
  type ContractInput,
  type ContractState,
} from './contract.messages';

/** Beyond this many events a run hands over to a fresh one even before the SDK suggests it. */
export const HISTORY_BOUND = 2_000;

export async function ContractCallbackSchedule(input: ContractInput, carried?: ContractState): Promise<ContractState> {
  const state: ContractState = carried ?? initialContractState(input);
  const runtime = createCaseRuntime(state, input.indexedAttributes);
  const k = new ContractSchedule(input, state, {
    ...runtime.effects,
    activities: {
      recordScheduleChange: caseActivities.recordScheduleChange,
      recordContractStep: runtime.steps.recordContractStep,
      // Regular activities, not local: rare (a year's first use, a publication), and the time-skipping test server
      // refuses a local activity in the task that follows a signal-cancelled timer.
      loadCalendarYear: caseActivities.loadCalendarYear,
      notifyCalendarMissing: caseActivities.notifyCalendarMissing,
    },
  });
  runtime.onTransitionEnd(() => k.file.flush());
  let registered = carried !== undefined;

  wf.setHandler(contractStateQuery, () => state);
  // Sent with the start: answers once registration is recorded.
  wf.setHandler(registrationUpdate, async () => {
    await wf.condition(() => registered);
    return { ...state };
  });
  registerContractActions(k, runtime.onUpdate);
  registerContractAdjustments(k, runtime.onUpdate);
  registerContractCancellation(k, runtime.onUpdate);
  wf.setHandler(repairDoneSignal, (repair) => void repairDone(k, repair));
  wf.setHandler(calendarPublishedSignal, ({ year, version }) => void k.calendars.published(year, version));

  if (!carried) {
    // Registration counts as done once its write has ended, so the api never reads a half-written schedule.
    void runtime
      .exclusive(async () => {
        wf.metricMeter.createCounter('cases_opened', 'cases', 'Cases opened').add(1, { kind: 'project' });
        await k.register();
      })
      .then(() => {
        registered = true;
      });
  } else {
    k.index();
  }

  let runPhase = carried ? state.phase : undefined;
  for (;;) {
    await runtime.idle();
    if (k.finished()) break;
    runPhase ??= registered ? state.phase : undefined;
    const info = wf.workflowInfo();
    // Each phase starts a fresh run, and so does a long one, so a years-long schedule keeps a short history.
    if (runPhase !== undefined && (state.phase !== runPhase || info.continueAsNewSuggested || info.historyLength > HISTORY_BOUND)) break;
    // A year the next step needs, or one a signal says changed, is fetched first: the timers below then use it.
    if (registered && k.calendarsDue(Date.now())) {
      await runtime.exclusive(() => k.loadCalendars());
      continue;
    }
    const now = Date.now();
    // A waiting cancellation request reminds and escalates beside the calls' own clocks.
    const timer = earliest(k.nextTimer(now), cancellationTimer(k));
    if (timer && timer.at <= now) {
      await runtime.exclusive(async () => {
        const due = earliest(k.nextTimer(Date.now()), cancellationTimer(k));
        if (due && due.at <= Date.now()) await due.fire();
        k.settle();
        await k.updatePhase();
      });
      continue;
    }
    await runtime.waitForChange(timer?.at);
  }

  // An update accepted while deliveries drain is waited for too, so continue-as-new never drops one.
  await runtime.settle();
  if (k.finished()) return state;
  await wf.continueAsNew<typeof ContractCallbackSchedule>(input, state);
  return state;
}
