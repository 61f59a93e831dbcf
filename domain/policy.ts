// The versioned policy document as plain types; schemas/policy.schema.ts validates a file into exactly this shape.
import type { ApprovalPolicy } from './approval.rules';
import type { CaseDocumentsPolicy } from './case-documents.rules';
import type { ApprovalDecision } from './authority';
import type { Level, Priority, Role, Severity } from './roles';

/** An ISO-8601 duration such as P5D, PT24H or PT3M. */
export type IsoDuration = string;

export interface CalendarPolicy {
  timeZone: string;
  weekends: number[];
  publicHolidays: { date: string; name: string }[];
  makeUpWorkingDays: string[];
  shiftToWorkingDay: boolean;
}

/** What a failed round costs the branch: reported for penalty, warned, penalties ordered. */
export type RoundPenalty = 'reported_for_penalty' | 'warning' | 'penalty_ordered';

export interface ComplaintPolicy {
  firstCallback: IsoDuration;
  repairAnswer: IsoDuration;
  triage: IsoDuration;
  branchFeedback: IsoDuration;
  externalToLegal: IsoDuration;
  priorityDeadlines: Record<Priority, IsoDuration>;
  defaultSeverity: Severity;
  defaultPriority: Priority;
  warningFractions: number[];
  severityLevel: Record<Severity, Level>;
  /** Who owns each follow-up round, and what the round's failure costs the branch ([003] ch.4 §3.15, 20-21). */
  rounds: { round: number; level: Level; penalty?: RoundPenalty }[];
  /** Follow-up deadline per severity and round; the shorter of it and the priority's deadline applies. */
  roundDeadlines?: Partial<Record<Severity, IsoDuration[]>>;
  /** Each new round sends the branch an urge notice with its own response deadline. */
  urgeNotices?: boolean;
  /** A feedback form given before the feedback step (at first callback or triage) settles that step. */
  earlyFeedbackCounts?: boolean;
  /** A paused case reminds its owner after pauseReminder and resumes by itself after pauseLimit. */
  pauseReminder?: IsoDuration;
  pauseLimit?: IsoDuration;
  /** The survey task is created at closing and is due within this window ("within a week"). */
  surveyWithin?: IsoDuration;
  /** Regulator/media cases: these roles each decide within externalToLegal, or the case reaches legal by itself. */
  externalDecisionBy?: Role[];
  /** The answer promised on a complaint call ([003] ch.6 §2): a follow-up reaching the customer within it. */
  customerAnswer?: IsoDuration;
  /** Regulator/media cases: the deciders not yet decided are warned this long before the decision clock runs out. */
  externalWarningBefore?: IsoDuration;
  /** How long the director has to decide a staff or crew complaint whose ladder reached them. */
  directorDecision?: IsoDuration;
  repeatWindow: IsoDuration;
  reopenWindow: IsoDuration;
  surveyAfterClose: IsoDuration;
  postRepairCallback: IsoDuration;
  validComplaintAllowance: number;
  currency: string;
}

/** Clocks of a call the policy may count in working time: its reminder, its overdue escalation, the not-reached retry, the post-repair call. */
export const WORKING_CLOCKS = ['reminder', 'overdue', 'retry', 'post_repair'] as const;
export type WorkingClock = (typeof WORKING_CLOCKS)[number];

export interface CallbackPolicy {
  afterSigning: IsoDuration;
  afterWorkStart: IsoDuration[];
  constructionInterval: IsoDuration;
  afterCompletion: IsoDuration;
  warrantyInterval: IsoDuration;
  defaultWarrantyMonths: number;
  notReachedRetry: IsoDuration;
  notReachedAttempts: number;
  reminderAfter: IsoDuration;
  overdueAfter: IsoDuration;
  /** A milestone recorded late creates every past-due call of a kind up to this many; beyond it, only the latest. */
  maxLateCallsPerKind: number;
  /** A holiday greeting a late milestone reveals this long after it was due missed its holiday and is not made. */
  greetingSkippedAfter: IsoDuration;
  /** Clocks that count working days only (weekends and holidays do not count); absent in older policies: calendar time. */
  workingTimeClocks?: WorkingClock[];
  /** The warranty's default length (P2Y, P24M), a value of its own; absent in older policies: warrantyInterval × months. */
  warrantyLength?: IsoDuration;
}

export interface KpiTarget {
  op: '<' | '<=' | '>' | '>=' | '=';
  value: number;
}

/** When each summary runs (cron in the calendar's zone) and how late a missed run may still catch up. */
export interface SummarySchedule {
  cron: string;
  catchupWindow: IsoDuration;
}

/** The center's reporting rules: the handling cycle a KPI measures against, summary times and their readers. */
export interface ReportPolicy {
  handlingCycle: IsoDuration;
  summaries: Record<'daily' | 'weekly' | 'monthly' | 'yearly', SummarySchedule>;
  /** Roles notified when a summary is stored; branch staff get their own branch's row only. */
  summaryRecipients: Role[];
}

/** The authority matrix (DOMAIN section 3) as data: per decision the groups that must each sign (any role of a group signs for it). */
export interface AuthorityPolicy {
  approvers: Record<ApprovalDecision, Role[][]>;
  /** Remedies recorded only after one of these decisions is approved (a compensation only above the fixed allowance). */
  remedyApprovals: { refund: ApprovalDecision[]; compensation: ApprovalDecision[] };
}

export interface Policy {
  version: string;
  complaint: ComplaintPolicy;
  callbacks: CallbackPolicy;
  calendar: CalendarPolicy;
  kpiTargets: Record<string, KpiTarget>;
  reports: ReportPolicy;
  authority: AuthorityPolicy;
  /** Approval steps' reminder and escalation; absent on policies written before approvals had timers. */
  approvals?: ApprovalPolicy;
  /** File review before closing and the small gift's allowance; absent on policies written before these rules had code. */
  caseDocuments?: CaseDocumentsPolicy;
}
