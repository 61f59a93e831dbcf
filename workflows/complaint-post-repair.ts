// A finished repair's call back ([003] ch.6 §5.2): booked on the contract's schedule, or a plain task without one.
import { addWorkingTime, shiftToWorkingDay } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import { iso, SYSTEM, type Complaint } from './complaint-case';

/** Patch: the plain post-repair task counts its delay in working time when the policy lists the `post_repair` clock. */
export const POST_REPAIR_WORKING_TIME = 'post-repair-working-time';

/** The contract's schedule books the post-repair call on a working day; without a registered contract, a plain task. */
export async function schedulePostRepair(c: Complaint, repairCompletedAt: string): Promise<void> {
  const s = c.state;
  if (c.fx.patched('post-repair-via-schedule') && s.contractNo) {
    try {
      await c.fx.signalRepairDone(s.contractNo, { complaintId: s.complaintId, completedAt: repairCompletedAt });
      await c.record('callback_scheduled', SYSTEM, { kind: 'post_repair', via: 'schedule', contractNo: s.contractNo });
      return;
    } catch {
      // No running schedule for this contract (never registered, or already closed): fall back to a task.
    }
  }
  const cal = c.input.policy.calendar;
  const completed = Date.parse(repairCompletedAt);
  const delay = durationMs(c.policy.postRepairCallback);
  // Where the policy counts the post-repair clock in working time, weekends and holidays do not count (patched).
  const working = c.input.policy.callbacks.workingTimeClocks?.includes('post_repair') && c.fx.patched(POST_REPAIR_WORKING_TIME);
  const at = working ? addWorkingTime(completed, delay, cal) : completed + delay;
  // "About 3 days": on the next working day, as the contract's schedule would book it (patched).
  const dueAt = iso(c.fx.patched('calendar-aware-calls') ? shiftToWorkingDay(at, cal) : at);
  await c.file.createTask({
    id: `${s.complaintId}:post_repair`,
    type: 'post_repair_callback',
    complaintId: s.complaintId,
    contractNo: s.contractNo,
    branch: s.branch,
    assigneeRole: 'assistant',
    dueAt,
  });
  await c.record('callback_scheduled', SYSTEM, { kind: 'post_repair', dueAt }, ['assistant']);
}
