// Regulator, consumer-association and media cases ([003] ch.5 §11.1): the director and the VP decide within 24 h, or legal takes it.
import { goesStraightToLegal, isExternalSource, isInternalKind } from '../domain/complaint.rules';
import { durationMs } from '../domain/duration';
import { expandRoles, higherLevel, type Role } from '../domain/roles';
import type { Action } from './complaint-actions';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import type { Timer } from './complaint-clock';
import * as msg from './complaint.messages';
import { reject } from './refusal';

/** Patch: an external case runs the ladder with a 24 h decision clock beside it instead of a bare legal_handoff step. */
export const EXTERNAL_DECISION = 'external-decision';
/** Patch: the deciders still undecided are warned at a policy-set time before the decision clock runs out. */
export const EXTERNAL_DECISION_WARNING = 'external-decision-warning';
/** Patch: a complaint arriving as a lawsuit or an arbitration is handed to legal at intake. */
export const LAWSUIT_TO_LEGAL = 'lawsuit-to-legal';
/** Patch: a complaint is valid only once triage says so (it used to start valid). */
export const VALIDITY_BY_TRIAGE = 'validity-by-triage';
/** Patch: staff and crew complaints end at the director's decision, and only their department gives their feedback. */
export const INTERNAL_LADDER = 'internal-ladder-director';

/** Patch: a private job found on a callback goes to the director and legal at once; a second-hand site to engineering. */
export const CALLBACK_FINDINGS = 'callback-findings';

/** Rules decided once at intake (each patched, so running cases keep theirs): does legal take it at once, who else is told. */
export function applyIntakeRules(c: Complaint, startedAt: number): { toLegal: boolean; told: Role[] } {
  const s = c.state;
  const p = c.policy;
  if (c.fx.patched(VALIDITY_BY_TRIAGE)) {
    s.valid = false;
    s.validityByTriage = true;
  }
  if (isInternalKind(s.kind) && p.directorDecision && c.fx.patched(INTERNAL_LADDER)) s.ladderEndsAt = 'director';
  if (isExternalSource(s.source) && p.externalDecisionBy && c.fx.patched(EXTERNAL_DECISION)) s.external = clockFrom(c, s.source, startedAt);
  if (s.finding && c.fx.patched(CALLBACK_FINDINGS)) {
    // [003] ch.5 §10: the branch must not deal with it itself; the director reports a private job to legal and the regional president.
    if (s.finding === 'second_hand_site') s.routedTo = 'engineering';
    else {
      s.level = higherLevel(s.level, 'director');
      return { toLegal: true, told: ['legal', 'regional_president'] };
    }
  }
  return { toLegal: goesStraightToLegal(s.source) && c.fx.patched(LAWSUIT_TO_LEGAL), told: [] };
}

function clockFrom(c: Complaint, source: msg.ComplaintState['source'], at: number): msg.ExternalClock {
  const length = durationMs(c.policy.externalToLegal);
  const clock: msg.ExternalClock = { source, startedAt: iso(at), dueAt: iso(at + length), decisions: [] };
  const before = c.policy.externalWarningBefore;
  // The warning instant is fixed with the clock, so a retry or a replay finds the same one and `warned` keeps it single.
  if (before && durationMs(before) < length && c.fx.patched(EXTERNAL_DECISION_WARNING)) clock.warnAt = iso(at + length - durationMs(before));
  return clock;
}

/** The deciders who have not decided yet. */
function undecidedRoles(c: Complaint): Role[] {
  const ext = c.state.external!;
  return (c.policy.externalDecisionBy ?? []).filter((r) => !ext.decisions.some((d) => d.role === r));
}

/** Who is told of an external case: every decider and legal. */
export function externalRecipients(c: Complaint): Role[] {
  return [...(c.policy.externalDecisionBy ?? []), 'legal'];
}

/** The decision clock runs until it is decided or the case is in legal hands; it cannot be paused. */
export function externalClockRuns(s: msg.ComplaintState): boolean {
  return Boolean(s.external && !s.external.outcome && s.status !== 'legal' && s.status !== 'closed');
}

/** Before the end the undecided deciders are warned once; at 24 h without every decision the case reaches legal by itself. */
export function externalTimer(c: Complaint): Timer | undefined {
  const s = c.state;
  if (!externalClockRuns(s)) return undefined;
  const ext = s.external!;
  if (ext.warnAt && !ext.warned) {
    return {
      at: Date.parse(ext.warnAt),
      fire: async () => {
        ext.warned = true;
        await c.record('external_decision_warning', SYSTEM, { dueAt: ext.dueAt, waitingFor: undecidedRoles(c) }, undecidedRoles(c));
      },
    };
  }
  return {
    at: Date.parse(s.external!.dueAt),
    fire: async () => {
      s.external!.outcome = 'legal';
      s.overdue = true;
      await c.record('deadline_missed', SYSTEM, { step: 'external_decision', round: s.round }, externalRecipients(c));
      await c.handToLegal('external_source_deadline', SYSTEM);
    },
  };
}

/** The deciders' decisions and the mid-way re-flag; the clock's refusals for pause and close. */
export function registerExternalActions(c: Complaint, action: Action): void {
  const s = c.state;
  const deciders = () => c.policy.externalDecisionBy ?? [];
  const undecided = (actor: msg.Actor) => expandRoles(actor.roles).filter((r) => deciders().includes(r) && !s.external!.decisions.some((d) => d.role === r));

  action(
    msg.externalDecisionUpdate,
    ({ actor }) => {
      if (!s.external) reject('INVALID_STATE', 'only a regulator, consumer-association or media case is decided this way');
      if (s.external.outcome) reject('ALREADY_DONE', `the case is already decided: ${s.external.outcome}`);
      if (s.status === 'closed' || s.status === 'legal') reject('INVALID_STATE', `the case is ${s.status}`);
      if (!expandRoles(actor.roles).some((r) => deciders().includes(r))) reject('ROLE_NOT_ALLOWED', `decided by ${deciders().join(' and ')}`);
      if (!undecided(actor).length) reject('ALREADY_DONE', 'your decision is already recorded');
    },
    async ({ actor, decision }) => {
      const ext = s.external!;
      const role = undecided(actor)[0]!;
      ext.decisions.push({ role, decision, by: actor.sub, at: iso(c.now()) });
      await c.record('external_decision', actor.sub, { role, decision }, externalRecipients(c));
      // Legal takes it as soon as one decider says so; the center keeps it only when every decider says keep.
      if (decision === 'legal') {
        ext.outcome = 'legal';
        return c.handToLegal('external_decision', actor.sub);
      }
      if (deciders().every((r) => ext.decisions.some((d) => d.role === r))) {
        ext.outcome = 'keep';
        await c.record('external_decided', SYSTEM, { outcome: 'keep' }, [...externalRecipients(c), s.routedTo]);
      }
    },
  );

  action(
    msg.externalFlagUpdate,
    ({ source }) => {
      if (!c.policy.externalDecisionBy) reject('INVALID_STATE', 'this case started on a policy without the regulator/media decision clock');
      if (s.external || isExternalSource(s.source)) reject('ALREADY_DONE', 'the case is already a regulator/media case');
      if (s.status !== 'open' && s.status !== 'paused') reject('INVALID_STATE', `the case is ${s.status}`);
      if (!isExternalSource(source)) reject('INVALID_INPUT', 'source must be regulator, consumer_association or media');
    },
    async ({ actor, source }) => {
      // The decision clock cannot be paused, so a paused step runs again from now.
      if (s.status === 'paused') await c.resumeClock(actor.sub, { reason: 'external_flag' });
      s.external = clockFrom(c, source, c.now());
      s.severity = 'major';
      s.priority = 'high';
      await c.record('external_flagged', actor.sub, { source, dueAt: s.external.dueAt }, externalRecipients(c));
      await c.escalateTo(higherLevel(s.level, c.policy.severityLevel.major), 'external_source', actor.sub);
    },
  );
}

/** Refusals the running decision clock adds to other actions. */
export function externalGuard(s: msg.ComplaintState, what: 'pause' | 'close'): void {
  if (!externalClockRuns(s)) return;
  if (what === 'pause')
    reject('EXTERNAL_CLOCK_NOT_PAUSABLE', `a regulator/media case reaches legal by ${s.external!.dueAt} unless decided; its clock cannot be paused`);
  reject('EXTERNAL_DECISION_PENDING', 'a regulator/media case closes only after the director and the VP decided, or legal took it');
}
