// At worker start: the bundled `chinese-days` years become calendar documents (once), and running schedules re-plan.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { seedCalendars } from '../db/calendar-store';
import type { Models } from '../db/models';
import { CALENDAR_REPLAN_WORKFLOW, calendarReplanWorkflowId } from '../workflows/calendar-replan.workflow';

/** Inserts the years that have no calendar yet and starts their fan-out once each; answers the years inserted. */
export async function seedCalendarsAtStart(client: Client, models: Models, taskQueue: string): Promise<number[]> {
  const inserted = await seedCalendars(models);
  for (const year of inserted) {
    await client.workflow
      .start(CALENDAR_REPLAN_WORKFLOW, {
        taskQueue,
        workflowId: calendarReplanWorkflowId(year, 1),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ year, version: 1 }],
      })
      .catch((err) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  }
  return inserted;
}
