// Closing a complaint, reopening it within its window, and the satisfaction survey that follows the closing.
import { heldByPending } from '../domain/approval.rules';
import type { Action } from './complaint-actions';
import { iso, type Complaint } from './complaint-case';
import { reopenWindowEnd } from './complaint-clock';
import { externalGuard } from './complaint-external';
import * as msg from './complaint.messages';
import { reject } from './refusal';

export function registerClosingActions(c: Complaint, action: Action): void {
  const s = c.state;
  const policy = c.policy;
  const by = (actor: msg.Actor) => actor.sub;
  const now = () => c.now();

  action(
    msg.closeUpdate,
    ({ actor }) => {
      const held = heldByPending('close', s.approvalRequests);
      if (held) reject('APPROVAL_PENDING', `${held.decision}, asked by ${held.by}, awaits its approvers; the case closes after the decision`);
      if (s.status === 'legal') {
        if (!actor.roles.includes('legal')) reject('ROLE_NOT_ALLOWED', 'only legal closes a case in legal hands');
        return;
      }
      externalGuard(s, 'close');
      if (s.status !== 'resolved') reject('INVALID_STATE', `the case is ${s.status}; it closes once the customer is satisfied`);
    },
    async ({ actor, notes }) => {
      s.closedByLegal = s.status === 'legal';
      s.status = 'closed';
      s.step = 'closed';
      s.deadline = undefined;
      s.overdue = false;
      s.surveyTaskCreated = false;
      s.closedAt = iso(now());
      await c.record('closed', by(actor), { notes, byLegal: s.closedByLegal }, ['admin']);
    },
  );

  action(
    msg.reopenUpdate,
    () => {
      if (s.status !== 'closed') reject('INVALID_STATE', `the case is ${s.status}, not closed`);
      if (s.closedByLegal) reject('CLOSED_BY_LEGAL', 'legal closed this case; it cannot be reopened');
      if (now() > (reopenWindowEnd(c) ?? 0)) reject('REOPEN_WINDOW_PASSED', `the reopen window of ${policy.reopenWindow} after closing has passed`);
    },
    async ({ actor, notes }) => {
      s.reopenCount++;
      s.status = 'open';
      s.closedAt = undefined;
      s.surveyRecorded = false;
      c.startFollowUpRound(Math.max(s.round, 1));
      await c.record('reopened', by(actor), { notes, round: s.round }, [s.level, s.routedTo]);
    },
  );

  action(
    msg.surveyUpdate,
    () => {
      if (s.status !== 'closed') reject('INVALID_STATE', 'a satisfaction survey follows the closing');
      if (s.surveyRecorded) reject('ALREADY_DONE', 'the survey is already recorded');
    },
    async ({ actor, satisfied, score, notes }) => {
      s.surveyRecorded = true;
      s.surveySatisfied = satisfied;
      await c.record('survey', by(actor), { satisfied, score, notes });
    },
  );
}
