// The bare engine the bench compares against: the least a workflow can do for the same job.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { createBareActivities } from './bare.activities';

const { stamp } = proxyActivities<ReturnType<typeof createBareActivities>>({ startToCloseTimeout: '30 seconds' });

/** Started but never run (no worker polls its queue): the engine's own start cost. */
export async function BareNoop(): Promise<void> {}

/** One durable timer, then one database write: what an escalation is, minus the business. */
export async function BareTimerThenActivity(id: string, dueAt: number): Promise<void> {
  await sleep(Math.max(1, dueAt - Date.now()));
  await stamp(id, dueAt);
}
