// Inputs tests share: the company policy and complaint inputs with nobody's real data.
import { randomUUID } from 'node:crypto';
import { loadPolicy, parsePolicy } from '../../config/policy';
import type { Policy } from '../../schemas/policy.schema';
import type { Models } from '../../db/models';
import { CONTRACT_WORKFLOW, contractWorkflowId, registrationUpdate, type ContractInput } from '../../workflows/contract.messages';
import type { Client } from '@temporalio/client';
import { startOrAttach } from '../../api/services/case-workflows';
import { COMPLAINT_WORKFLOW, complaintWorkflowId, intakeUpdate, type Actor, type ComplaintInput } from '../../workflows/complaint.messages';

export const POLICY: Policy = loadPolicy();

export function policyWith(patch: (p: Policy) => void): Policy {
  const copy = structuredClone(POLICY);
  patch(copy);
  return parsePolicy(copy);
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const actors = {
  assistant: { sub: 'staff-a1', roles: ['assistant'] },
  supervisor: { sub: 'staff-s1', roles: ['supervisor'] },
  director: { sub: 'staff-d1', roles: ['director'] },
  legal: { sub: 'staff-l1', roles: ['legal'] },
  branch: { sub: 'staff-b1', roles: ['branch'] },
  executive: { sub: 'staff-e1', roles: ['executive'] },
  vp: { sub: 'staff-v1', roles: ['vp'] },
  regionalPresident: { sub: 'staff-r1', roles: ['regional_president'] },
} satisfies Record<string, Actor>;

export function complaintInput(patch: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    complaintId: `C-${randomUUID().slice(0, 8)}`,
    kind: 'customer',
    source: 'phone',
    category: 'quality',
    branch: 'north',
    severity: 'general',
    priority: 'medium',
    repeat: false,
    openedBy: actors.assistant.sub,
    openedAt: new Date().toISOString(),
    policy: POLICY,
    indexedAttributes: [],
    ...patch,
  };
}

/** The api's intake minus HTTP and the intake rules: the case document first, then the workflow through the api's start helper. */
export async function openCase(client: Client, models: Models, taskQueue: string, input: ComplaintInput) {
  await models.Complaint.create({
    _id: input.complaintId,
    kind: input.kind,
    source: input.source,
    category: input.category,
    branch: input.branch,
    workflowId: complaintWorkflowId(input.complaintId),
    createdAt: new Date(),
    status: 'open',
    stateSeq: 0,
  });
  // The api's own start helper: returns once intake is recorded, so the first query sees the started step.
  const workflowId = complaintWorkflowId(input.complaintId);
  await startOrAttach(client, { workflowType: COMPLAINT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'test case', opened: intakeUpdate });
  return client.workflow.getHandle(workflowId);
}

export async function history(models: Models, complaintId: string) {
  return models.CaseEvent.find({ complaintId }).sort({ seq: 1 }).lean();
}

/** A calendar in the test clock's future, so calendar shifts can be asserted exactly. */
export const SCHEDULE_POLICY: Policy = policyWith((p) => {
  p.version = 'schedule-test';
  p.calendar.publicHolidays = [
    { date: '2026-12-14', name: 'Founders Day' },
    { date: '2027-01-01', name: 'New Year' },
    { date: '2027-01-02', name: 'New Year' },
    { date: '2027-01-03', name: 'New Year' },
  ];
  p.calendar.makeUpWorkingDays = ['2026-12-20'];
});

export function contractInput(patch: Partial<ContractInput> = {}): ContractInput {
  return {
    contractNo: `HZ-${randomUUID().slice(0, 8)}`,
    branch: 'north',
    contractSignedAt: '2026-12-07T01:00:00.000Z',
    plannedCompletionAt: '2027-01-20T01:00:00.000Z',
    warrantyMonths: 2,
    policy: SCHEDULE_POLICY,
    indexedAttributes: [],
    ...patch,
  };
}

/** The api's registration minus HTTP: the contract document, then the schedule through the api's start helper. */
export async function openContract(client: Client, models: Models, taskQueue: string, input: ContractInput) {
  await models.Contract.create({
    _id: input.contractNo,
    branch: input.branch,
    customer: { name: 'Test Customer', phone: '13800000000' },
    contractSignedAt: new Date(input.contractSignedAt),
    plannedCompletionAt: new Date(input.plannedCompletionAt),
    warrantyMonths: input.warrantyMonths,
    requestHash: 'test',
    workflowId: contractWorkflowId(input.contractNo),
    createdAt: new Date(),
    stateSeq: 0,
  });
  const workflowId = contractWorkflowId(input.contractNo);
  await startOrAttach(client, { workflowType: CONTRACT_WORKFLOW, workflowId, taskQueue, input, staticSummary: 'test contract', opened: registrationUpdate });
  return client.workflow.getHandle(workflowId);
}
