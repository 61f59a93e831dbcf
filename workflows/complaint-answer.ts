// The answer promised on every complaint call ([003] ch.6 §2 "在24小时之内给您答复"): a reached follow-up within the policy's hours.
import { isExternalSource } from '../domain/complaint.rules';
import { durationMs } from '../domain/duration';
import { nextLevel, type Role } from '../domain/roles';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import type { Timer } from './complaint-clock';
import type { ComplaintState } from './complaint.messages';

/** Patch: a customer's complaint carries the answer clock of the policy's `customerAnswer` beside its ladder. */
export const CUSTOMER_ANSWER = 'customer-answer-clock';

/** At intake: a customer's own complaint gets the clock; regulator/media cases have their decision clock, legal cases legal. */
export function startAnswerClock(c: Complaint, startedAt: number, toLegal: boolean): void {
  const s = c.state;
  const within = c.policy.customerAnswer;
  if (!within || s.kind !== 'customer' || isExternalSource(s.source) || toLegal) return;
  if (!c.fx.patched(CUSTOMER_ANSWER)) return;
  s.answer = { startedAt: iso(startedAt), dueAt: iso(startedAt + durationMs(within)) };
}

/** The clock runs until the customer hears back, the case leaves the center's hands, or a re-flag puts it on the decision clock. */
export function answerClockRuns(s: ComplaintState): boolean {
  return Boolean(s.answer && !s.answer.answeredAt && !s.answer.missed && !s.external && (s.status === 'open' || s.status === 'paused'));
}

/** A follow-up that reached the customer is the answer; the first one settles the clock, on time or late. */
export function markAnswered(c: Complaint): void {
  const a = c.state.answer;
  if (!a || a.answeredAt) return;
  a.answeredAt = iso(c.now());
  a.onTime = c.now() <= Date.parse(a.dueAt);
}

/** Who hears that the promise was broken: the assistant who made it and the case owner's superior. */
function missedRecipients(s: ComplaintState): Role[] {
  return [...new Set<Role>(['assistant', s.level, nextLevel(s.level)])];
}

/** At the promised hour without an answer, the file says so once and the superior hears; the ladder runs on. */
export function answerTimer(c: Complaint): Timer | undefined {
  const s = c.state;
  if (!answerClockRuns(s)) return undefined;
  return {
    at: Date.parse(s.answer!.dueAt),
    fire: async () => {
      s.answer!.missed = true;
      s.answer!.onTime = false;
      await c.record('answer_missed', SYSTEM, { dueAt: s.answer!.dueAt, step: s.step, round: s.round }, missedRecipients(s));
    },
  };
}
