// Custom search attributes ops filter on in the Web UI; no personal data ever goes here.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';

export const SA = {
  CaseKind: defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD),
  Branch: defineSearchAttributeKey('Branch', SearchAttributeType.KEYWORD),
  ContractNo: defineSearchAttributeKey('ContractNo', SearchAttributeType.KEYWORD),
  Severity: defineSearchAttributeKey('Severity', SearchAttributeType.KEYWORD),
  Priority: defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD),
  EscalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.KEYWORD),
  Round: defineSearchAttributeKey('Round', SearchAttributeType.INT),
  CaseStatus: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  Phase: defineSearchAttributeKey('Phase', SearchAttributeType.KEYWORD),
  NextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  Overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  // A schedule that needs a year no calendar is published for plans it on weekends only until one is.
  CalendarMissing: defineSearchAttributeKey('CalendarMissing', SearchAttributeType.BOOL),
} as const;

export type SearchAttributeName = keyof typeof SA;
export const SEARCH_ATTRIBUTE_NAMES = Object.keys(SA) as SearchAttributeName[];

/** Values a case wants indexed; undefined removes the attribute. */
export type IndexedValues = Partial<{
  CaseKind: string;
  Branch: string;
  ContractNo: string;
  Severity: string;
  Priority: string;
  EscalationLevel: string;
  Round: number;
  CaseStatus: string;
  Phase: string;
  NextDeadline: Date;
  Overdue: boolean;
  CalendarMissing: boolean;
}>;

/** Names of ours the namespace lacks; a case logs them once and runs on unindexed for those. */
export function missingSearchAttributes(registered: readonly string[]): SearchAttributeName[] {
  return SEARCH_ATTRIBUTE_NAMES.filter((n) => !registered.includes(n));
}

/** Update pairs limited to the attributes the namespace has registered, so a missing one never fails a workflow. */
export function searchAttributeUpdates(values: IndexedValues, registered: readonly string[]): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [];
  for (const name of SEARCH_ATTRIBUTE_NAMES) {
    if (!(name in values) || !registered.includes(name)) continue;
    const value = values[name];
    pairs.push({ key: SA[name], value: value === undefined ? null : value } as SearchAttributeUpdatePair);
  }
  return pairs;
}

/** Contract schedules run under the new type and, when registered before the rename, the old one. */
const CONTRACT_TYPES = `WorkflowType IN ('ContractCallbackSchedule', 'RenovationCallbackSchedule')`;

/** Ready List Filter queries for the Web UI (and `temporal workflow list --query`); the README lists the same ones. */
export const LIST_FILTERS = {
  directorLevel: `WorkflowType = 'ComplaintCase' AND EscalationLevel = 'director' AND ExecutionStatus = 'Running'`,
  inLegal: `WorkflowType = 'ComplaintCase' AND CaseStatus = 'legal'`,
  overdueComplaints: `WorkflowType = 'ComplaintCase' AND Overdue = true AND ExecutionStatus = 'Running'`,
  overdueCallbacksOfBranch: (branch: string) => `${CONTRACT_TYPES} AND Branch = '${branch}' AND Overdue = true AND ExecutionStatus = 'Running'`,
  deadlineBefore: (isoTime: string) => `ExecutionStatus = 'Running' AND NextDeadline < '${isoTime}'`,
  lateRoundsOfBranch: (branch: string) => `WorkflowType = 'ComplaintCase' AND Branch = '${branch}' AND Round >= 3`,
  // Runs handed over by continue-as-new are left out: each case appears once, running or finished.
  everythingOfContract: (contractNo: string) => `ContractNo = '${contractNo}' AND ExecutionStatus != 'ContinuedAsNew'`,
  contractsWithoutCalendar: `${CONTRACT_TYPES} AND CalendarMissing = true AND ExecutionStatus = 'Running'`,
  contractsInPhase: (phase: string) => `${CONTRACT_TYPES} AND Phase = '${phase}' AND ExecutionStatus = 'Running'`,
} as const;
