// Webhook delivery from inside a case: started beside the case's progress, never blocking it, drained before the run ends.
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';

const { deliverNotification } = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const WEBHOOK_PATCH = 'webhook-delivery';

export function notificationDeliveries() {
  const pending = new Set<Promise<unknown>>();
  return {
    /** Queues one delivery per stored notification; a receiver that stays down past a day just misses the post. */
    send(ids: readonly string[] | undefined): void {
      // Activity results recorded before this feature carry no ids: replaying them must change nothing.
      if (!ids?.length || !wf.patched(WEBHOOK_PATCH)) return;
      for (const id of ids) {
        const p = deliverNotification(id).catch(() => undefined);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    },
    /** Waits for outstanding deliveries, so continue-as-new or completion never abandons one. */
    async drain(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
