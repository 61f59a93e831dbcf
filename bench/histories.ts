// Engine cost of one step, counted from real histories: events and activities from a timer firing to the next trigger.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;
const TRIGGERS = new Set([T.EVENT_TYPE_TIMER_FIRED, T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED]);

export interface StepCost {
  steps: number;
  eventsPerStep: { mean: number; max: number };
  /** Regular activities scheduled (three events each); a step's local activity write is a marker instead. */
  activitiesPerStep: { mean: number; max: number };
  localWritesPerStep: { mean: number; max: number };
}

interface Step {
  events: number;
  activities: number;
  localWrites: number;
}

/** Splits a history at every timer firing (a step the case takes by itself) and counts what each step cost. */
export function stepCosts(events: temporal.api.history.v1.IHistoryEvent[]): Step[] {
  const steps: Step[] = [];
  let current: Step | undefined;
  for (const e of events) {
    const type = e.eventType ?? 0;
    if (TRIGGERS.has(type)) {
      if (current) steps.push(current);
      // Only timer-driven steps are measured; a staff action or signal closes the step before it.
      current = type === T.EVENT_TYPE_TIMER_FIRED ? { events: 0, activities: 0, localWrites: 0 } : undefined;
    }
    if (!current) continue;
    current.events++;
    if (type === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) current.activities++;
    if (type === T.EVENT_TYPE_MARKER_RECORDED) current.localWrites++;
  }
  if (current) steps.push(current);
  // A timer that fired with nothing to write (the loop re-checking) is not a step.
  return steps.filter((s) => s.activities + s.localWrites > 0);
}

export function summarizeCosts(all: Step[]): StepCost {
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / (xs.length || 1)) * 10) / 10;
  return {
    steps: all.length,
    eventsPerStep: { mean: mean(all.map((s) => s.events)), max: Math.max(0, ...all.map((s) => s.events)) },
    activitiesPerStep: { mean: mean(all.map((s) => s.activities)), max: Math.max(0, ...all.map((s) => s.activities)) },
    localWritesPerStep: { mean: mean(all.map((s) => s.localWrites)), max: Math.max(0, ...all.map((s) => s.localWrites)) },
  };
}

export async function costsOf(client: Client, workflowIds: string[]): Promise<StepCost> {
  const all: Step[] = [];
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    all.push(...stepCosts(history.events ?? []));
  }
  return summarizeCosts(all);
}
