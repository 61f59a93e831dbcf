// Pausing a complaint while the customer is awaited, and resuming it; the pause's own clock is in complaint-clock.ts.
import type { Action } from './complaint-actions';
import { iso, type Complaint } from './complaint-case';
import { externalGuard } from './complaint-external';
import * as msg from './complaint.messages';
import { reject } from './refusal';

export function registerPauseActions(c: Complaint, action: Action, requireOpen: () => void): void {
  const s = c.state;
  const by = (actor: msg.Actor) => actor.sub;
  const now = () => c.now();

  action(
    msg.pauseUpdate,
    () => {
      requireOpen();
      if (!s.deadline) reject('INVALID_STATE', `nothing is timed at step ${s.step}`);
      externalGuard(s, 'pause');
    },
    async ({ actor, notes }) => {
      const dl = s.deadline!;
      dl.remainingMs = Math.max(0, Date.parse(dl.dueAt) - now());
      s.status = 'paused';
      s.pausedAt = iso(now());
      await c.record('paused', by(actor), { notes, step: s.step, remainingMs: dl.remainingMs });
    },
  );

  action(
    msg.resumeUpdate,
    () => {
      if (s.status !== 'paused') reject('INVALID_STATE', `the case is ${s.status}, not paused`);
    },
    async ({ actor, notes }) => {
      await c.resumeClock(by(actor), { notes });
    },
  );
}
