// Staff and crew complaints ([003] ch.4 §4, ch.5 §8-9): the director re-decides, the department handles it again, the ladder ends there.
import type { Action } from './complaint-actions';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import * as msg from './complaint.messages';
import { reject } from './refusal';
import { higherLevel } from '../domain/roles';

/** The case waits for the director: to re-decide an unsatisfied crew complaint (rehandle), or to end the ladder (final). */
export async function startDirectorDecision(c: Complaint, decisionFor: 'rehandle' | 'final', reason: string, by: string, at?: number): Promise<void> {
  const s = c.state;
  s.directorDecisionFor = decisionFor;
  c.startStep('director_decision', at);
  await c.escalateTo(higherLevel(s.level, 'director'), reason, by);
  await c.record('director_decision_due', SYSTEM, { for: decisionFor, reason, dueAt: s.deadline?.dueAt }, ['director']);
}

/** The department handles the complaint a second time (crew: the branch). */
async function secondHandling(c: Complaint, reason: string, at?: number): Promise<void> {
  const s = c.state;
  s.secondHandling = true;
  if (s.kind === 'crew') s.routedTo = 'branch';
  c.startStep('branch_feedback', at);
  await c.record('routed', SYSTEM, { to: s.routedTo, secondHandling: true, reason }, [s.routedTo]);
}

/** A missed decision: an unsatisfied crew's second handling starts anyway; a final decision is asked again (and the VP hears). */
export async function directorDecisionMissed(c: Complaint, missedAt: number): Promise<void> {
  if (c.state.directorDecisionFor === 'rehandle') return secondHandling(c, 'director_decision_missed', missedAt);
  c.startStep('director_decision', missedAt);
  await c.record('step_started', SYSTEM, { step: 'director_decision', for: 'final' }, ['director']);
}

export function registerDirectorDecision(c: Complaint, action: Action): void {
  const s = c.state;
  action(
    msg.directorDecisionUpdate,
    ({ decision }) => {
      if (s.status !== 'open' || s.step !== 'director_decision') reject('INVALID_STATE', `no director's decision is expected at step ${s.step} (${s.status})`);
      if (decision === 'rehandle' && s.directorDecisionFor === 'final')
        reject('INVALID_STATE', 'the second handling is done; the director decides upheld or dismissed');
    },
    async ({ actor, decision }) => {
      const at = iso(c.now());
      s.directorDecisions = [...(s.directorDecisions ?? []), { decision, by: actor.sub, at }];
      s.overdue = false;
      await c.record('director_decision', actor.sub, { decision, for: s.directorDecisionFor }, [s.routedTo, 'assistant']);
      if (decision === 'rehandle') return secondHandling(c, 'director_decision');
      // Upheld or dismissed: the internal ladder ends with the director's decision; the case closes as a resolved one.
      s.resolvedAt = at;
      s.handlingMs = c.now() - Date.parse(c.input.openedAt) - (s.pausedMs ?? 0);
      s.status = 'resolved';
      s.step = 'resolved';
      s.deadline = undefined;
    },
  );
}
