// Stable codes a case refuses an action with; api/errors.ts must give each one an HTTP status or it does not compile.

/** Refusals of a complaint case (workflow update validators and handlers). */
export const COMPLAINT_ERRORS = [
  'INVALID_STATE',
  'ALREADY_DONE',
  'REPAIR_OR_COMPENSATE',
  'REOPEN_WINDOW_PASSED',
  'CLOSED_BY_LEGAL',
  'ROLE_NOT_ALLOWED',
  'NOT_CASE_OWNER',
  'APPROVAL_REQUIRED',
  'INVALID_INPUT',
  'APPROVAL_PENDING',
  'EXTERNAL_CLOCK_NOT_PAUSABLE',
  'EXTERNAL_DECISION_PENDING',
  'NOT_CONFIRMED_VALID',
] as const;

/** Refusals of a milestone, decided by checkMilestone in domain/schedule.rules.ts. */
export const MILESTONE_ERRORS = [
  'CONTRACT_CANCELLED',
  'MILESTONE_OUT_OF_ORDER',
  'MILESTONE_CONFLICT',
  'MILESTONE_IN_FUTURE',
  'MILESTONE_NOT_RECORDED',
] as const;

/** Refusals of a callback outcome by the contract's callback schedule. */
export const CALLBACK_ERRORS = ['CALLBACK_NOT_FOUND', 'OUTCOME_ALREADY_RECORDED', 'CALLBACK_NOT_DUE', 'CALLBACK_DATE_IN_PAST'] as const;

/** Refusals of a contract cancellation's decision: nothing waits for one. */
export const CANCELLATION_ERRORS = ['CANCELLATION_NOT_REQUESTED'] as const;

/** Refusals of the case file's documents (review, letters, site inspection, apology), decided in the API over MongoDB. */
export const DOCUMENT_ERRORS = ['FILE_REVIEW_REQUIRED', 'LETTER_NOT_APPROVED', 'INSPECTION_NOT_SIGNED', 'NOT_SERVICE_COMPLAINT'] as const;
export type DocumentErrorCode = (typeof DOCUMENT_ERRORS)[number];

export type ComplaintErrorCode = (typeof COMPLAINT_ERRORS)[number];
export type MilestoneErrorCode = (typeof MILESTONE_ERRORS)[number];
export type CallbackErrorCode = (typeof CALLBACK_ERRORS)[number];
export type CancellationErrorCode = (typeof CANCELLATION_ERRORS)[number];
/** Every code a workflow can refuse with. */
export type CaseErrorCode = ComplaintErrorCode | MilestoneErrorCode | CallbackErrorCode | CancellationErrorCode;
export const CASE_ERROR_CODES: readonly CaseErrorCode[] = [...COMPLAINT_ERRORS, ...MILESTONE_ERRORS, ...CALLBACK_ERRORS, ...CANCELLATION_ERRORS];
