// Complaint rules of DOMAIN.md sections 2-3 as pure functions; every number comes from the policy passed in.
import type { ComplaintPolicy } from './policy';
import { durationMs } from './duration';
import { higherLevel, nextLevel, type Level, type Priority, type Role, type Severity } from './roles';

export const COMPLAINT_KINDS = ['customer', 'repair', 'staff', 'crew'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

export const COMPLAINT_SOURCES = [
  'phone',
  'walk_in',
  'letter',
  'email',
  'callback',
  'regulator',
  'consumer_association',
  'media',
  'lawsuit',
  'arbitration',
] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];

export const COMPLAINT_STATUSES = ['open', 'paused', 'resolved', 'closed', 'legal'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** The step a case waits on; each open step has a policy deadline. */
export const STEPS = ['first_callback', 'triage', 'branch_feedback', 'follow_up', 'legal_handoff', 'director_decision', 'resolved', 'legal', 'closed'] as const;
export type Step = (typeof STEPS)[number];

const EXTERNAL_SOURCES: readonly ComplaintSource[] = ['regulator', 'consumer_association', 'media'];

export function isExternalSource(source: ComplaintSource): boolean {
  return EXTERNAL_SOURCES.includes(source);
}

/** A complaint that arrives as a lawsuit or an arbitration goes to legal at once (DOMAIN section 3). */
export function goesStraightToLegal(source: ComplaintSource): boolean {
  return source === 'lawsuit' || source === 'arbitration';
}

/** Violations a callback can reveal ([003] ch.5 §10): a crew's private job (director, then legal at once), a second-hand site (engineering). */
export const CALLBACK_FINDINGS = ['private_job', 'second_hand_site'] as const;
export type CallbackFinding = (typeof CALLBACK_FINDINGS)[number];

/** What each executive decides on a regulator/media case: the center keeps it, or legal takes it now. */
export const EXTERNAL_DECISIONS = ['keep', 'legal'] as const;
export type ExternalDecision = (typeof EXTERNAL_DECISIONS)[number];

/** The director's decision on a staff or crew complaint: the department handles it again, or the ladder ends here. */
export const DIRECTOR_DECISIONS = ['rehandle', 'upheld', 'dismissed'] as const;
export type DirectorDecision = (typeof DIRECTOR_DECISIONS)[number];

/** Who sees a journalist's or regulator's details: those who handle an external case. */
export const EXTERNAL_CONTACT_VIEWERS: readonly Role[] = ['supervisor', 'director', 'legal', 'regional_president', 'vp', 'executive'];

/** Staff and crew complaints are internal matters: their ladder ends at the director, not legal. */
export function isInternalKind(kind: ComplaintKind): boolean {
  return kind === 'staff' || kind === 'crew';
}

/** Staff and crew complaints are valid only with a real name and the facts of who, when and where. */
export function requiresNamedComplainant(kind: ComplaintKind): boolean {
  return kind === 'staff' || kind === 'crew';
}

/** Which department does the fixing: employees go to hr, crews to engineering first, everything else to the branch. */
export function routeFor(kind: ComplaintKind): Role {
  if (kind === 'staff') return 'hr';
  if (kind === 'crew') return 'engineering';
  return 'branch';
}

/** Regulator, consumer-association and media complaints are major by definition. */
export function effectiveSeverity(source: ComplaintSource, severity: Severity | undefined, policy: ComplaintPolicy): Severity {
  if (isExternalSource(source) || goesStraightToLegal(source)) return 'major';
  return severity ?? policy.defaultSeverity;
}

/** First owner: the severity's level, raised for a repeat complainant (supervisor; serious or major straight to the director). */
export function initialLevel(severity: Severity, repeat: boolean, policy: ComplaintPolicy): Level {
  const bySeverity = policy.severityLevel[severity];
  if (!repeat) return bySeverity;
  return higherLevel(bySeverity, severity === 'general' ? 'supervisor' : 'director');
}

/** Level that owns a follow-up round; a case never moves down the ladder. */
export function roundLevel(round: number, current: Level, policy: ComplaintPolicy): Level {
  const entry = policy.rounds[round - 1];
  return entry ? higherLevel(current, entry.level) : 'legal';
}

export function lastRound(policy: ComplaintPolicy): number {
  return policy.rounds.length;
}

export function priorityDeadlineMs(priority: Priority, policy: ComplaintPolicy): number {
  return durationMs(policy.priorityDeadlines[priority]);
}

/** A follow-up round's deadline: the priority's, or the severity's for that round when shorter (the last entry covers later rounds). */
export function followUpDeadlineMs(priority: Priority, policy: ComplaintPolicy, severity?: Severity, round?: number): number {
  const byPriority = priorityDeadlineMs(priority, policy);
  const list = severity ? policy.roundDeadlines?.[severity] : undefined;
  if (!list?.length || !round) return byPriority;
  const bySeverity = durationMs(list[Math.min(round, list.length) - 1]!);
  return Math.min(byPriority, bySeverity);
}

/** Deadline length of a step, or undefined for steps nobody is timed on. */
export function stepDeadlineMs(
  step: Step,
  kind: ComplaintKind,
  priority: Priority,
  policy: ComplaintPolicy,
  ladder?: { severity: Severity; round: number },
): number | undefined {
  switch (step) {
    case 'first_callback':
      return durationMs(kind === 'repair' ? policy.repairAnswer : policy.firstCallback);
    case 'triage':
      return durationMs(policy.triage);
    case 'branch_feedback':
      return durationMs(policy.branchFeedback);
    case 'follow_up':
      return followUpDeadlineMs(priority, policy, ladder?.severity, ladder?.round);
    case 'legal_handoff':
      return durationMs(policy.externalToLegal);
    case 'director_decision':
      return policy.directorDecision ? durationMs(policy.directorDecision) : undefined;
    default:
      return undefined;
  }
}

/** Instants at which a warning goes out before a deadline, earliest first. */
export function warningTimes(startedAt: number, dueAt: number, fractions: readonly number[]): number[] {
  return [...fractions].sort((a, b) => a - b).map((f) => Math.round(startedAt + (dueAt - startedAt) * f));
}

/** Who hears about a missed step: the owner's superior, so nothing stays with the person who forgot it. */
export function missedStepRecipients(step: Step, level: Level, routedTo: Role): Role[] {
  const up: Role = nextLevel(level);
  if (step === 'branch_feedback') return [routedTo, up];
  // The director's own step: the director is reminded and the VP hears (an internal ladder never goes to legal).
  if (step === 'director_decision') return ['director', 'vp'];
  return [up];
}

export const REMEDIES = ['repair', 'exchange', 'refund', 'compensation', 'allowance'] as const;
export type Remedy = (typeof REMEDIES)[number];

export interface RecordedRemedy {
  type: Remedy;
  defect?: string;
}

/** "Repair, or compensate, never both" for one defect; returns the conflicting remedy if there is one. */
export function remedyConflict(existing: readonly RecordedRemedy[], next: RecordedRemedy): RecordedRemedy | undefined {
  if (next.type === 'allowance' || !next.defect) return undefined;
  const isRepair = next.type === 'repair';
  return existing.find((r) => r.type !== 'allowance' && r.defect === next.defect && (r.type === 'repair') !== isRepair);
}
