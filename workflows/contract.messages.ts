// Update, signal and input definitions of a contract's callback schedule workflow, shared by the workflow, the api and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { CALENDAR_PUBLISHED_SIGNAL, type YearCalendar } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import type { CallbackKind, CallbackResult, CallbackStatus, CorrectableMilestone, Milestones, MilestoneType, Phase } from '../domain/schedule.rules';
import type { CancellationRequest, CancellationView, CancelReason } from '../domain/cancellation.rules';
import type { Role } from '../domain/roles';
import type { Actor } from './complaint.messages';

/** The workflow type new contracts start with. */
export const CONTRACT_WORKFLOW = 'ContractCallbackSchedule';
/** The type contracts registered before the rename run (and their recorded histories name); the worker registers both. */
export const LEGACY_CONTRACT_WORKFLOW = 'RenovationCallbackSchedule';

/** The id keeps its historical `project-` prefix: running schedules and the repair signal find each other by it. */
export function contractWorkflowId(contractNo: string): string {
  return `project-${contractNo}`;
}

/** No personal data: the customer's name and phone stay in MongoDB. */
export interface ContractInput {
  contractNo: string;
  branch: string;
  contractSignedAt: string;
  plannedCompletionAt: string;
  warrantyMonths: number;
  /** The warranty's own length (P24M), from a policy that has one; absent: warrantyInterval × warrantyMonths. */
  warrantyLength?: string;
  policy: Policy;
  indexedAttributes?: string[];
}

export interface CallbackState {
  id: string;
  kind: CallbackKind;
  /** When the call is (or, after a not-reached retry, is again) due. */
  dueAt: number;
  /** Reminder and overdue clocks run from here: the due time, or the creation time of a late-created call. */
  activeSince: number;
  status: CallbackStatus;
  reminded: boolean;
  attempts: number;
  outcome?: CallbackResult;
  complaintId?: string;
  /** Recorded before it went overdue: the "qualified" callback of the 98 % target. */
  onTime?: boolean;
  /** Bumped on every recorded change of this call; the activity only overwrites the stored call with a newer one. */
  version: number;
}

export interface ClosedCallback {
  kind: CallbackKind;
  dueAt: number;
  outcome: CallbackResult | 'cancelled' | 'waived';
  attempts: number;
  complaintId?: string;
}

export interface ContractState {
  contractNo: string;
  branch: string;
  milestones: Milestones;
  phase: Phase;
  /** Ids of every callback ever created; planned ones not listed here are still in the future. */
  created: string[];
  open: CallbackState[];
  /** Outcome of every closed callback, so a repeated outcome is answered the same way in any later run. */
  outcomes: Record<string, ClosedCallback>;
  policyVersion: string;
  /** Number of case-file entries recorded so far; the next entry's key, so a retried write lands on the same entry. */
  seq: number;
  /** Ids of the latest milestone and outcome updates applied, carried across continue-as-new. */
  handledUpdates?: string[];
  /** Published calendars this schedule has fetched, one per year (patched calendars-as-data). */
  calendars?: YearCalendar[];
  /** Years looked up that had no published calendar. */
  calendarsAbsent?: number[];
  /** Years a calendarPublished signal says changed, fetched again before the next step. */
  calendarsStale?: number[];
  /** Years the schedule needs that have no calendar at all (neither published nor in its policy): the case is flagged. */
  calendarsMissing?: number[];
  /** Years whose missing calendar this case has already reported. */
  calendarsReported?: number[];
  /** Calls moved at the customer's request: id → the requested instant (each plan shifts it to a working day). */
  moved?: Record<string, number>;
  /** A cancellation asked and not yet decided by the approver (patched cancel-approval). */
  cancellation?: CancellationRequest;
  /** The last decided cancellation request, so a retried decision answers the same. */
  cancellationDecided?: CancellationView;
}

export interface MilestoneInput {
  actor: Actor;
  type: MilestoneType;
  at: string;
  plannedCompletionAt?: string;
}

export interface OutcomeInput {
  actor: Actor;
  callbackId: string;
  result: CallbackResult;
  notes?: string;
  complaintId?: string;
}

export interface OutcomeResult {
  callback: { id: string; kind: CallbackKind; dueAt: string; status: CallbackStatus; outcome?: CallbackResult; attempts: number };
  complaintId?: string;
  repeat: boolean;
}

/** A supervisor's correction of a recorded date; the reason stays in MongoDB under the update's id. */
export interface CorrectionInput {
  actor: Actor;
  milestone: CorrectableMilestone;
  at: string;
}

/** Waive or move one call at the customer's request; the reason stays in MongoDB under the update's id. */
export interface AdjustInput {
  actor: Actor;
  callbackId: string;
  action: 'waive' | 'reschedule';
  /** The customer's requested time (reschedule only); moved to a working day. */
  dueAt?: string;
}

export interface AdjustResult {
  callback: { id: string; kind: CallbackKind; dueAt: string; status: CallbackStatus; attempts: number };
  repeat: boolean;
}

/** A handler asks to cancel the contract; the reason text stays in MongoDB under the update's id. */
export interface CancellationRequestInput {
  actor: Actor;
  reasonCode: CancelReason;
}

/** The approver of cancel_order decides; the reason stays in MongoDB under the update's id. */
export interface CancellationDecisionInput {
  actor: Actor;
  approved: boolean;
  /** The matrix role the decision is signed under (the authority rule's verdict). */
  role: Role;
}

export interface CancellationResult {
  phase: Phase;
  cancellation: CancellationView;
  /** True when the answer is a request already waiting (or a decision already made), not a new one. */
  repeat: boolean;
}

// Wire names are fixed: running workflows and recorded histories use them.
export const registrationUpdate = defineUpdate<ContractState, []>('awaitRegistration');
export const milestoneUpdate = defineUpdate<ContractState, [MilestoneInput]>('recordMilestone');
export const outcomeUpdate = defineUpdate<OutcomeResult, [OutcomeInput]>('recordCallbackOutcome');
export const repairDoneSignal = defineSignal<[{ complaintId: string; completedAt: string }]>('warrantyRepairCompleted');
/** A year's calendar was published or changed: the schedule fetches it again and re-plans its calls not yet due. */
export const calendarPublishedSignal = defineSignal<[{ year: number; version: number }]>(CALENDAR_PUBLISHED_SIGNAL);
export const correctionUpdate = defineUpdate<ContractState, [CorrectionInput]>('correctMilestone');
export const adjustUpdate = defineUpdate<AdjustResult, [AdjustInput]>('adjustCallback');
export const cancellationRequestUpdate = defineUpdate<CancellationResult, [CancellationRequestInput]>('requestCancellation');
export const cancellationDecisionUpdate = defineUpdate<CancellationResult, [CancellationDecisionInput]>('decideCancellation');
export const contractStateQuery = defineQuery<ContractState>('scheduleState');

/** The state a new schedule starts from. */
export function initialContractState(input: ContractInput): ContractState {
  return {
    contractNo: input.contractNo,
    branch: input.branch,
    milestones: {
      contractSignedAt: Date.parse(input.contractSignedAt),
      plannedCompletionAt: Date.parse(input.plannedCompletionAt),
      warrantyMonths: input.warrantyMonths,
      pennants: [],
      repairs: [],
    },
    phase: 'signed',
    created: [],
    open: [],
    outcomes: {},
    policyVersion: input.policy.version,
    seq: 0,
  };
}
