// A new complaint's state: what intake knows before any rule runs (the case's decisions live in complaint-case.ts).
import { effectiveSeverity, initialLevel, isExternalSource, routeFor } from '../domain/complaint.rules';
import type { ComplaintInput, ComplaintState } from './complaint.messages';

export function initialComplaintState(input: ComplaintInput): ComplaintState {
  const policy = input.policy.complaint;
  const severity = effectiveSeverity(input.source, input.severity, policy);
  return {
    complaintId: input.complaintId,
    kind: input.kind,
    source: input.source,
    contractNo: input.contractNo,
    branch: input.branch,
    category: input.category,
    ...(input.finding ? { finding: input.finding } : {}),
    severity,
    priority: input.priority ?? (isExternalSource(input.source) ? 'high' : policy.defaultPriority),
    severityConfirmed: input.severity !== undefined && input.priority !== undefined,
    valid: true,
    repeat: input.repeat,
    status: 'open',
    step: 'first_callback',
    level: initialLevel(severity, input.repeat, policy),
    round: 0,
    routedTo: routeFor(input.kind),
    secondHandling: false,
    acknowledged: false,
    followUps: 0,
    feedbackReceived: false,
    overdue: false,
    closedByLegal: false,
    reopenCount: 0,
    surveyTaskCreated: false,
    surveyRecorded: false,
    remedies: [],
    approvals: [],
    policyVersion: input.policy.version,
    seq: 0,
  };
}
