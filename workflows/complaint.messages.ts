// Update, query and input definitions of the complaint workflow, imported by both the workflow and the api.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PendingApproval } from '../domain/approval.rules';
import type { ApprovalDecision, Payer } from '../domain/authority';
import type {
  CallbackFinding,
  ComplaintKind,
  ComplaintSource,
  ComplaintStatus,
  DirectorDecision,
  ExternalDecision,
  Remedy,
  Step,
} from '../domain/complaint.rules';
import type { Level, Priority, Role, Severity } from '../domain/roles';
import type { Policy } from '../domain/policy';

export const COMPLAINT_WORKFLOW = 'ComplaintCase';
export const COMPLAINT_ID_PREFIX = 'complaint-';

export function complaintWorkflowId(complaintId: string): string {
  return `${COMPLAINT_ID_PREFIX}${complaintId}`;
}

/** What a complaint is and where it belongs; its input and its state both carry these. */
export interface ComplaintFacts {
  complaintId: string;
  kind: ComplaintKind;
  source: ComplaintSource;
  contractNo?: string;
  branch?: string;
  /** Older cases carried the category; new ones keep it in MongoDB only (it is staff or customer text). */
  category?: string;
  /** A violation a callback revealed (a code, no text): a private job or a second-hand site. */
  finding?: CallbackFinding;
}

/** Everything the case needs to run; no personal data, which stays in MongoDB. */
export interface ComplaintInput extends ComplaintFacts {
  severity?: Severity;
  priority?: Priority;
  repeat: boolean;
  openedBy: string;
  openedAt: string;
  policy: Policy;
  /** Custom search attributes the namespace has registered; others are skipped rather than failing the case. */
  indexedAttributes?: string[];
}

export interface Actor {
  sub: string;
  roles: Role[];
}

export interface DeadlineView {
  step: Step;
  startedAt: string;
  dueAt: string;
  warningsSent: number;
  remainingMs?: number;
}

export interface RemedyRecord {
  type: Remedy;
  defect?: string;
  amount?: number;
  currency: string;
  by: string;
  at: string;
  /** Who approved it, when the authority matrix had to (a refund, a compensation above the allowance). */
  approvedBy?: string[];
  /** Who pays it (patched claim-payer), when the request said so. */
  payer?: Payer;
}

export interface ApprovalRecord {
  decision: ApprovalDecision;
  approved: boolean;
  role: Role;
  by: string;
  at: string;
  /** Who asked for the decision and when, when it was asked for. */
  requestedBy?: string;
  requestedAt?: string;
  /** The approving action's id: its reason, kept in MongoDB, joins back on read. */
  ref?: string;
}

export interface ComplaintState extends ComplaintFacts {
  severity: Severity;
  priority: Priority;
  severityConfirmed: boolean;
  valid: boolean;
  repeat: boolean;
  status: ComplaintStatus;
  step: Step;
  level: Level;
  round: number;
  routedTo: Role;
  secondHandling: boolean;
  acknowledged: boolean;
  /** KPI facts: first callback within its deadline, follow-ups made, when and how fast the customer was satisfied. */
  firstCallbackOnTime?: boolean;
  followUps: number;
  resolvedAt?: string;
  handlingMs?: number;
  surveySatisfied?: boolean;
  feedbackReceived: boolean;
  /** The pause clock: when the case was paused, reminders sent, and all paused time (the handling cycle leaves it out). */
  pausedAt?: string;
  pauseRemindersSent?: number;
  pausedMs?: number;
  deadline?: DeadlineView;
  overdue: boolean;
  closedAt?: string;
  closedByLegal: boolean;
  reopenCount: number;
  surveyTaskCreated: boolean;
  surveyRecorded: boolean;
  remedies: RemedyRecord[];
  approvals: ApprovalRecord[];
  /** Decisions asked of the matrix and not yet decided, with who asked and when (absent on older cases). */
  approvalRequests?: PendingApproval[];
  /** A regulator/consumer-association/media case: its 24 h decision clock (no pause) and each executive's decision. */
  external?: ExternalClock;
  /** Cases started with the patch begin not valid: only triage confirms a complaint as valid. */
  validityByTriage?: boolean;
  /** The answer promised to the customer at intake (policy customerAnswer): due, given, missed. */
  answer?: AnswerClock;
  /** Staff and crew complaints of cases started with the patch: the ladder ends at the director, not legal. */
  ladderEndsAt?: 'director';
  /** What the director decided on a staff or crew complaint, and when the decision step began for what. */
  directorDecisions?: { decision: DirectorDecision; by: string; at: string }[];
  directorDecisionFor?: 'rehandle' | 'final';
  policyVersion: string;
  /** Number of case-file entries recorded so far; the next entry's key, so a retried write lands on the same entry. */
  seq: number;
  /** Ids of the latest staff actions applied, carried across continue-as-new. */
  handledUpdates?: string[];
}

export interface ExternalClock {
  source: ComplaintSource;
  startedAt: string;
  dueAt: string;
  /** When the deciders still undecided are warned (policy externalWarningBefore), and whether they were. */
  warnAt?: string;
  warned?: boolean;
  /** Set once it is decided: kept by the center (every decider said keep) or legal (one said so, or the clock ran out). */
  outcome?: ExternalDecision;
  decisions: { role: Role; decision: ExternalDecision; by: string; at: string }[];
}

/** The customer's answer clock: when it is due, when a reached follow-up gave it, and whether it came in time. */
export interface AnswerClock {
  startedAt: string;
  dueAt: string;
  answeredAt?: string;
  onTime?: boolean;
  missed?: boolean;
}

export interface ExternalDecisionInput {
  actor: Actor;
  decision: ExternalDecision;
  notes?: string;
}
/** A running complaint becomes a regulator/media case; the contact's details stay in MongoDB. */
export interface ExternalFlagInput {
  actor: Actor;
  source: ComplaintSource;
  notes?: string;
}
export interface DirectorDecisionInput {
  actor: Actor;
  decision: DirectorDecision;
  notes?: string;
}

export interface TriageInput {
  actor: Actor;
  severity: Severity;
  priority: Priority;
  valid: boolean;
  branch?: string;
  notes?: string;
}
export interface NoteInput {
  actor: Actor;
  notes?: string;
}
/** The free text of a feedback form stays in MongoDB; older cases received it here. */
export interface FeedbackInput {
  actor: Actor;
  cause?: string;
  action?: string;
  responsible?: string;
  repairCompletedAt?: string;
}
/** What a follow-up call found; not reached and in progress leave the round (and its clock) as it is. */
export type FollowUpOutcome = 'satisfied' | 'unsatisfied' | 'not_reached' | 'in_progress';
export interface FollowUpInput {
  actor: Actor;
  customerSatisfied: boolean;
  /** Absent on older requests: customerSatisfied alone decides. */
  outcome?: FollowUpOutcome;
  notes?: string;
}
export interface SurveyInput {
  actor: Actor;
  satisfied: boolean;
  score?: number;
  notes?: string;
}
export interface CompensationInput {
  actor: Actor;
  type: Remedy;
  defect?: string;
  amount?: number;
  /** Who pays a compensation above the allowance: its claim decision (absent on requests before the field). */
  payer?: Payer;
  notes?: string;
}
export interface ApprovalRequestInput {
  actor: Actor;
  decision: ApprovalDecision;
  notes?: string;
}
export interface ApprovalInput {
  actor: Actor;
  decision: ApprovalDecision;
  approved: boolean;
  role: Role;
  notes?: string;
}

/** Sent with the start: returns once intake is recorded, so the api answers with the case as it stands. */
export const intakeUpdate = defineUpdate<ComplaintState, []>('awaitIntake');
export const acknowledgeUpdate = defineUpdate<ComplaintState, [NoteInput]>('acknowledge');
export const triageUpdate = defineUpdate<ComplaintState, [TriageInput]>('triage');
export const feedbackUpdate = defineUpdate<ComplaintState, [FeedbackInput]>('recordBranchFeedback');
export const followUpUpdate = defineUpdate<ComplaintState, [FollowUpInput]>('recordFollowUp');
export const pauseUpdate = defineUpdate<ComplaintState, [NoteInput]>('pauseAwaitingCustomer');
export const resumeUpdate = defineUpdate<ComplaintState, [NoteInput]>('resume');
export const escalateUpdate = defineUpdate<ComplaintState, [NoteInput]>('escalate');
export const closeUpdate = defineUpdate<ComplaintState, [NoteInput]>('close');
export const reopenUpdate = defineUpdate<ComplaintState, [NoteInput]>('reopen');
export const surveyUpdate = defineUpdate<ComplaintState, [SurveyInput]>('recordSurvey');
export const compensationUpdate = defineUpdate<ComplaintState, [CompensationInput]>('recordCompensation');
export const approvalUpdate = defineUpdate<ComplaintState, [ApprovalInput]>('recordApproval');
export const approvalRequestUpdate = defineUpdate<ComplaintState, [ApprovalRequestInput]>('requestApproval');
export const externalDecisionUpdate = defineUpdate<ComplaintState, [ExternalDecisionInput]>('recordExternalDecision');
export const externalFlagUpdate = defineUpdate<ComplaintState, [ExternalFlagInput]>('flagExternal');
export const directorDecisionUpdate = defineUpdate<ComplaintState, [DirectorDecisionInput]>('recordDirectorDecision');
export const stateQuery = defineQuery<ComplaintState>('caseState');
