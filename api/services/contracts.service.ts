// Renovation-contract use cases behind the HTTP routes: registration, milestones, the callback worklist and callback outcomes.
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { createHash } from 'node:crypto';
import type { CallbackDoc, ContractDoc } from '../../db/models';
import { isDuplicateKey } from '../../db/models';
import { checkMilestone, type CallbackKind, type CallbackResult, type CallbackStatus, type Milestones, type Phase } from '../../domain/schedule.rules';
import type { Role } from '../../domain/roles';
import { createComplaintBody } from '../../schemas/complaint.schema';
import type { CreateContractBody, ListCallbacksQuery, MilestoneBody, OutcomeBody } from '../../schemas/contract.schema';
import {
  milestoneUpdate,
  outcomeUpdate,
  CONTRACT_WORKFLOW,
  contractWorkflowId,
  registrationUpdate,
  type ContractInput,
  type ContractState,
} from '../../workflows/contract.messages';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from '../cursor';
import { createComplaintService, type ComplaintDeps } from './complaints.service';

type ComplaintService = ReturnType<typeof createComplaintService>;

export interface ContractDeps extends ComplaintDeps {
  /** The complaint intake a problem found on a callback goes through; built from the same deps when not given. */
  complaints?: ComplaintService;
}

/** Roles that call the customer and so may see who the customer is. */
export const CUSTOMER_VIEWERS: readonly Role[] = ['assistant', 'supervisor', 'director', 'branch'];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const iso = (ms: number | Date) => new Date(ms).toISOString();

type ContractDocLean = ContractDoc & { _id: string };
type CallbackDocLean = CallbackDoc & { _id: string };

export function createContractService(deps: ContractDeps) {
  const { client, models, policy, taskQueue } = deps;
  const complaints = deps.complaints ?? createComplaintService(deps);

  function conflict(contractNo: string): AppError {
    return new AppError('CONTRACT_CONFLICT', `contract ${contractNo} is already registered with different data`, [
      { field: 'contractNo', rule: 'same_body', message: 'a repeat registration must send the same body' },
    ]);
  }

  /** Starts the schedule (or reattaches to it) and waits until registration is recorded; undefined once it has finished. */
  async function startWorkflow(input: ContractInput): Promise<ContractState | undefined> {
    const startWorkflowOperation = new WithStartWorkflowOperation(CONTRACT_WORKFLOW, {
      taskQueue,
      workflowId: contractWorkflowId(input.contractNo),
      args: [input],
      // A retry after a crash between the write and the start reattaches instead of starting a second schedule.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Callback schedule, contract ${input.contractNo}, branch ${input.branch}`,
    });
    try {
      return await client.workflow.executeUpdateWithStart(registrationUpdate, { startWorkflowOperation });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw err;
    }
  }

  function branchScope(user: StaffUser): string | undefined {
    // Branch staff work their own branch's contracts only.
    const central = user.roles.some((r) => r !== 'branch');
    return !central && user.branch ? user.branch : undefined;
  }

  async function findProject(contractNo: string, user: StaffUser): Promise<ContractDocLean> {
    const doc = await models.Contract.findById(contractNo).lean();
    const scope = branchScope(user);
    if (!doc || (scope && doc.branch !== scope)) throw new AppError('NOT_FOUND', `contract ${contractNo} not found`);
    return doc;
  }

  async function findCallback(id: string, user: StaffUser): Promise<CallbackDocLean> {
    const doc = await models.Callback.findById(id).lean();
    const scope = branchScope(user);
    if (!doc || (scope && doc.branch !== scope)) throw new AppError('NOT_FOUND', `callback ${id} not found`);
    return doc;
  }

  /** Opens the complaint through the same intake as POST /v1/complaints; the callback id keys it, so a retry reuses it. */
  async function openProblemComplaint(cb: CallbackDocLean, project: ContractDocLean, problem: NonNullable<OutcomeBody['problem']>, user: StaffUser) {
    const parsed = createComplaintBody.safeParse({
      kind: 'customer',
      source: 'callback',
      contractNo: cb.contractNo,
      branch: cb.branch,
      complainant: { name: project.customer?.name ?? undefined, phone: project.customer?.phone ?? undefined },
      category: problem.category,
      description: problem.description,
      severity: problem.severity,
    });
    if (!parsed.success) {
      throw new AppError('INVALID_INPUT', `the customer record of contract ${cb.contractNo} lacks what a complaint needs`, [
        { field: 'problem', rule: 'customer_on_record', message: 'the registered customer needs a name and a phone number' },
      ]);
    }
    try {
      const { body } = await complaints.open(parsed.data, user, `callback-problem:${cb._id}`, 'callback');
      return body.id;
    } catch (err) {
      if (err instanceof AppError && err.code === 'IDEMPOTENCY_KEY_REUSED') {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'a complaint was already opened for this callback with another problem; repeat it unchanged', [
          { field: 'problem', rule: 'same_problem', message: 'a retry must describe the problem as the first attempt did' },
        ]);
      }
      throw err;
    }
  }

  return {
    async register(body: CreateContractBody, user: StaffUser) {
      const warrantyMonths = body.warrantyMonths ?? policy.callbacks.defaultWarrantyMonths;
      const contractSignedAt = new Date(body.contractSignedAt);
      const plannedCompletionAt = new Date(body.plannedCompletionAt);
      // The effective registration, so the same instant written with another offset is still the same request.
      const requestHash = sha256(
        JSON.stringify({
          contractNo: body.contractNo,
          branch: body.branch,
          customer: { name: body.customer.name, phone: body.customer.phone },
          address: body.address ?? null,
          designer: body.designer ?? null,
          siteSupervisor: body.siteSupervisor ?? null,
          foreman: body.foreman ?? null,
          contractSignedAt: contractSignedAt.toISOString(),
          plannedCompletionAt: plannedCompletionAt.toISOString(),
          warrantyMonths,
        }),
      );
      const existing = await models.Contract.findById(body.contractNo).lean();
      if (existing && existing.requestHash !== requestHash) throw conflict(body.contractNo);
      let created = false;
      if (!existing) {
        try {
          const result = await models.Contract.updateOne(
            { _id: body.contractNo },
            {
              $setOnInsert: {
                branch: body.branch,
                customer: body.customer,
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
          );
          created = result.upsertedCount === 1;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
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
        policy,
        indexedAttributes: await deps.indexedAttributes(),
      };
      const state = await startWorkflow(input);
      const phase = state?.phase ?? ((await models.Contract.findById(body.contractNo).lean())?.phase as Phase | undefined) ?? 'signed';
      return { created, body: { contractNo: body.contractNo, phase } };
    },

    /** Forwards a milestone to the schedule; once the schedule has finished, the projection answers. */
    async milestone(contractNo: string, body: MilestoneBody, user: StaffUser, idempotencyKey?: string) {
      const doc = await findProject(contractNo, user);
      try {
        const state = await client.workflow.getHandle(doc.workflowId).executeUpdate(milestoneUpdate, {
          args: [{ actor: { sub: user.sub, roles: user.roles }, type: body.type, at: body.at, plannedCompletionAt: body.plannedCompletionAt }],
          updateId: idempotencyKey ? `milestone:${sha256(idempotencyKey).slice(0, 32)}` : undefined,
        });
        return { contractNo, phase: state.phase };
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      // The schedule has finished, after writing its final projection.
      const final = (await models.Contract.findById(contractNo).lean()) ?? doc;
      const phase = (final.phase ?? 'signed') as Phase;
      const verdict = checkMilestone(
        milestonesOf(final),
        body.type,
        Date.parse(body.at),
        body.plannedCompletionAt === undefined ? undefined : Date.parse(body.plannedCompletionAt),
        Date.now(),
      );
      if (verdict === 'repeat') return { contractNo, phase };
      if (phase === 'cancelled') throw new AppError('CONTRACT_CANCELLED', 'the contract is cancelled; nothing more can be recorded');
      if (phase === 'closed') throw new AppError('CONTRACT_CLOSED', 'the warranty has ended and the schedule is closed; nothing more can be recorded');
      throw new AppError('CASE_FINISHED', `the callback schedule of contract ${contractNo} is not running (repeat its registration if it never started)`);
    },

    /** The contract as staff see it, from MongoDB; 404 for a contract outside a branch user's own branch. */
    async get(contractNo: string, user: StaffUser) {
      const doc = await findProject(contractNo, user);
      const callbacks = await models.Callback.find({ contractNo }).sort({ dueAt: 1, _id: 1 }).lean();
      const m = milestonesOf(doc);
      const at = (ms: number | undefined) => (ms === undefined ? undefined : iso(ms));
      return {
        contractNo: doc._id,
        branch: doc.branch,
        phase: (doc.phase ?? 'signed') as Phase,
        policyVersion: doc.policyVersion ?? undefined,
        warrantyMonths: doc.warrantyMonths,
        milestones: {
          contractSignedAt: iso(m.contractSignedAt),
          plannedCompletionAt: iso(m.plannedCompletionAt),
          workStartedAt: at(m.workStartedAt),
          completedAt: at(m.completedAt),
          cancelledAt: at(m.cancelledAt),
        },
        customer: user.roles.some((r) => CUSTOMER_VIEWERS.includes(r))
          ? { name: doc.customer?.name ?? undefined, phone: doc.customer?.phone ?? undefined }
          : undefined,
        callbacks: callbacks.map((c) => {
          const { id, kind, dueAt, status, outcome } = callbackItem(c);
          return { id, kind, dueAt, status, outcome };
        }),
      };
    },

    /** The assistants' worklist: due order, then id, so a cursor never skips or repeats a call. */
    async listCallbacks(q: ListCallbacksQuery, user: StaffUser) {
      const filter: Record<string, unknown>[] = [];
      if (q.status) filter.push({ status: q.status });
      if (q.kind) filter.push({ kind: q.kind });
      const branch = branchScope(user) ?? q.branch;
      if (branch) filter.push({ branch });
      if (q.dueBefore) filter.push({ dueAt: { $lt: new Date(q.dueBefore) } });
      const cursor = decodeCursor(q.cursor);
      if (cursor) filter.push({ $or: [{ dueAt: { $gt: cursor.at } }, { dueAt: cursor.at, _id: { $gt: cursor.id } }] });
      const docs = await models.Callback.find(filter.length ? { $and: filter } : {})
        .sort({ dueAt: 1, _id: 1 })
        .limit(q.limit + 1)
        .lean();
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(callbackItem),
        nextCursor: docs.length > q.limit && last ? encodeCursor(last.dueAt, last._id) : null,
      };
    },

    /**
     * Records what the call found. A problem first opens a complaint through the complaint intake (keyed by the
     * callback, so a retry reuses it), then closes the callback with that complaint's id.
     */
    async outcome(id: string, body: OutcomeBody, user: StaffUser, idempotencyKey?: string) {
      const cb = await findCallback(id, user);
      const project = await models.Contract.findById(cb.contractNo).lean();
      if (!project) throw new AppError('NOT_FOUND', `callback ${id} not found`);
      // Refused before a problem opens a complaint that no callback would link.
      if (cb.status === 'cancelled' || (cb.outcome && cb.outcome !== body.result)) throw alreadyRecorded(cb);

      let complaintId: string | undefined;
      if (body.result === 'problem') {
        complaintId = cb.outcome === 'problem' && cb.complaintId ? cb.complaintId : await openProblemComplaint(cb, project, body.problem!, user);
      }
      let finished = false;
      try {
        const result = await client.workflow.getHandle(project.workflowId).executeUpdate(outcomeUpdate, {
          args: [{ actor: { sub: user.sub, roles: user.roles }, callbackId: id, result: body.result, notes: body.notes, complaintId }],
          updateId: idempotencyKey ? `outcome:${sha256(`${id}:${idempotencyKey}`).slice(0, 32)}` : undefined,
        });
        if (!result.repeat) {
          const c = result.callback;
          const item = { ...callbackItem(cb), kind: c.kind, dueAt: c.dueAt, status: c.status, outcome: c.outcome, attempts: c.attempts, complaintId: result.complaintId };
          return { callback: item, complaintId: result.complaintId };
        }
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        finished = true;
      }
      // A repeat, or a schedule that has finished: the callback document holds the recorded outcome.
      const fresh = (await models.Callback.findById(id).lean()) ?? cb;
      if (finished && fresh.outcome !== body.result) throw alreadyRecorded(fresh);
      const item = callbackItem(fresh);
      return { callback: item, complaintId: item.complaintId };
    },
  };
}

function alreadyRecorded(cb: CallbackDocLean): AppError {
  return new AppError('OUTCOME_ALREADY_RECORDED', `callback ${cb._id} is already closed as ${cb.outcome ?? cb.status}`);
}

/** The milestones the schedule last wrote (epoch ms), or the registration's own dates before its first write. */
function milestonesOf(doc: ContractDocLean): Milestones {
  const m = (doc.milestones ?? {}) as Partial<Record<keyof Milestones, unknown>>;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    contractSignedAt: num(m.contractSignedAt) ?? doc.contractSignedAt.getTime(),
    plannedCompletionAt: num(m.plannedCompletionAt) ?? doc.plannedCompletionAt.getTime(),
    warrantyMonths: num(m.warrantyMonths) ?? doc.warrantyMonths,
    workStartedAt: num(m.workStartedAt),
    completedAt: num(m.completedAt),
    cancelledAt: num(m.cancelledAt),
    pennants: Array.isArray(m.pennants) ? (m.pennants as number[]) : [],
    repairs: Array.isArray(m.repairs) ? (m.repairs as Milestones['repairs']) : [],
  };
}

function callbackItem(c: CallbackDocLean) {
  return {
    id: c._id,
    contractNo: c.contractNo,
    branch: c.branch,
    kind: c.kind as CallbackKind,
    dueAt: c.dueAt.toISOString(),
    status: c.status as CallbackStatus,
    outcome: (c.outcome ?? undefined) as CallbackResult | undefined,
    attempts: c.attempts ?? 0,
    complaintId: c.complaintId ?? undefined,
  };
}

