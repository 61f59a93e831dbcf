// Update, signal and input definitions of the callback schedule workflow, shared by the workflow, the api and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallbackKind, CallbackResult, CallbackStatus, Milestones, MilestoneType, Phase } from '../domain/schedule.rules';
import type { Policy } from '../schemas/policy.schema';
import type { Actor } from './complaint.messages';

export const PROJECT_WORKFLOW = 'RenovationCallbackSchedule';

export function projectWorkflowId(contractNo: string): string {
  return `project-${contractNo}`;
}

/** No personal data: the customer's name and phone stay in MongoDB. */
export interface ProjectInput {
  contractNo: string;
  branch: string;
  contractSignedAt: string;
  plannedCompletionAt: string;
  warrantyMonths: number;
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
  version: number;
}

export interface ClosedCallback {
  kind: CallbackKind;
  dueAt: number;
  outcome: CallbackResult | 'cancelled';
  attempts: number;
  complaintId?: string;
}

export interface ProjectState {
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
  seq: number;
  /** Ids of the latest milestone and outcome updates applied, carried across continue-as-new. */
  handledUpdates?: string[];
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

export const registrationUpdate = defineUpdate<ProjectState, []>('awaitRegistration');
export const milestoneUpdate = defineUpdate<ProjectState, [MilestoneInput]>('recordMilestone');
export const outcomeUpdate = defineUpdate<OutcomeResult, [OutcomeInput]>('recordCallbackOutcome');
export const repairDoneSignal = defineSignal<[{ complaintId: string; completedAt: string }]>('warrantyRepairCompleted');
export const projectStateQuery = defineQuery<ProjectState>('scheduleState');

export const ScheduleErrors = {
  PROJECT_CANCELLED: 'PROJECT_CANCELLED',
  MILESTONE_OUT_OF_ORDER: 'MILESTONE_OUT_OF_ORDER',
  MILESTONE_CONFLICT: 'MILESTONE_CONFLICT',
  CALLBACK_NOT_FOUND: 'CALLBACK_NOT_FOUND',
  OUTCOME_ALREADY_RECORDED: 'OUTCOME_ALREADY_RECORDED',
  CALLBACK_NOT_DUE: 'CALLBACK_NOT_DUE',
  MILESTONE_IN_FUTURE: 'MILESTONE_IN_FUTURE',
} as const;
