// Registering a contract: what makes two registrations the same request, the document written once, the schedule started.
import { insertOnce } from '../../db/models';
import { type Phase, warrantyOf } from '../../domain/schedule.rules';
import type { CreateContractBody } from '../../schemas/contract.schema';
import { CONTRACT_WORKFLOW, type ContractInput, type ContractState, contractWorkflowId, registrationUpdate } from '../../workflows/contract.messages';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { sha256, startOrAttach } from './case-workflows';
import { customerKey } from './complaint-intake';
import type { ComplaintDeps } from './complaints.service';

/** The effective registration, so the same instant written with another offset is still the same request. */
export function registrationHash(body: CreateContractBody, defaultWarrantyMonths: number): string {
  const iso = (s: string) => new Date(s).toISOString();
  return sha256(
    JSON.stringify({
      contractNo: body.contractNo,
      branch: body.branch,
      customer: { name: body.customer.name, phone: body.customer.phone },
      address: body.address ?? null,
      designer: body.designer ?? null,
      siteSupervisor: body.siteSupervisor ?? null,
      foreman: body.foreman ?? null,
      contractSignedAt: iso(body.contractSignedAt),
      plannedCompletionAt: iso(body.plannedCompletionAt),
      warrantyMonths: body.warrantyMonths ?? defaultWarrantyMonths,
    }),
  );
}

export function conflict(contractNo: string): AppError {
  return new AppError('CONTRACT_CONFLICT', `contract ${contractNo} is already registered with different data`, [
    { field: 'contractNo', rule: 'same_body', message: 'a repeat registration must send the same body' },
  ]);
}

/** registerOnce(body, user, requestHash): the contract document once, then its schedule started (or found). */
export function createRegistration(deps: ComplaintDeps) {
  const { client, models, policy, taskQueue } = deps;
  /** Starts the schedule (or reattaches to it) and waits until registration is recorded; undefined once it has finished. */
  function startWorkflow(input: ContractInput): Promise<ContractState | undefined> {
    return startOrAttach(client, {
      workflowType: CONTRACT_WORKFLOW,
      workflowId: contractWorkflowId(input.contractNo),
      taskQueue,
      input,
      staticSummary: `Callback schedule, contract ${input.contractNo}, branch ${input.branch}`,
      opened: registrationUpdate,
    });
  }

  async function registerOnce(body: CreateContractBody, user: StaffUser, requestHash: string) {
    const { warrantyMonths, warrantyLength } = warrantyOf(body.warrantyMonths, policy.callbacks);
    const contractSignedAt = new Date(body.contractSignedAt);
    const plannedCompletionAt = new Date(body.plannedCompletionAt);
    const existing = await models.Contract.findById(body.contractNo).lean();
    if (existing && existing.requestHash !== requestHash) throw conflict(body.contractNo);
    let created = false;
    if (!existing) {
      created = await insertOnce(() =>
        models.Contract.updateOne(
          { _id: body.contractNo },
          {
            $setOnInsert: {
              branch: body.branch,
              customer: body.customer,
              customerKey: customerKey(body.customer.phone),
              address: body.address,
              designer: body.designer,
              siteSupervisor: body.siteSupervisor,
              foreman: body.foreman,
              contractSignedAt,
              plannedCompletionAt,
              warrantyMonths,
              requestHash,
              workflowId: contractWorkflowId(body.contractNo),
              policyVersion: policy.version,
              createdBy: user.sub,
              createdAt: new Date(),
              phase: 'signed',
              stateSeq: 0,
            },
          },
          { upsert: true },
        ),
      );
      if (!created) {
        // Another request registered the contract in between: it is a repeat only with the same body.
        const winner = await models.Contract.findById(body.contractNo).lean();
        if (winner?.requestHash !== requestHash) throw conflict(body.contractNo);
      }
    }
    const input: ContractInput = {
      contractNo: body.contractNo,
      branch: body.branch,
      contractSignedAt: contractSignedAt.toISOString(),
      plannedCompletionAt: plannedCompletionAt.toISOString(),
      warrantyMonths,
      ...(warrantyLength ? { warrantyLength } : {}),
      policy,
      indexedAttributes: await deps.indexedAttributes(),
    };
    const state = await startWorkflow(input);
    const phase = state?.phase ?? ((await models.Contract.findById(body.contractNo).lean())?.phase as Phase | undefined) ?? 'signed';
    return { created, body: { contractNo: body.contractNo, phase } };
  }

  return registerOnce;
}
