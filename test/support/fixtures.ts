// Inputs tests share: the company policy and complaint inputs with nobody's real data.
import { randomUUID } from 'node:crypto';
import { loadPolicy, parsePolicy } from '../../config/policy';
import type { Policy } from '../../schemas/policy.schema';
import type { Models } from '../../db/models';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
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

/** What the api's intake does, minus HTTP: the case document first, then the workflow. */
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
  const op = new WithStartWorkflowOperation(COMPLAINT_WORKFLOW, {
    taskQueue,
    workflowId: complaintWorkflowId(input.complaintId),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  // Like the api: returns once intake is recorded, so the first query sees the started step.
  await client.workflow.executeUpdateWithStart(intakeUpdate, { startWorkflowOperation: op });
  return op.workflowHandle();
}

export async function history(models: Models, complaintId: string) {
  return models.CaseEvent.find({ complaintId }).sort({ seq: 1 }).lean();
}
