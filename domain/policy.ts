// The versioned policy document as plain types; schemas/policy.schema.ts validates a file into exactly this shape.
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
  rounds: { round: number; level: Level }[];
  repeatWindow: IsoDuration;
  reopenWindow: IsoDuration;
  surveyAfterClose: IsoDuration;
  postRepairCallback: IsoDuration;
  validComplaintAllowance: number;
  currency: string;
}

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
}

export interface KpiTarget {
  op: '<' | '<=' | '>' | '>=' | '=';
  value: number;
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
  authority: AuthorityPolicy;
}
