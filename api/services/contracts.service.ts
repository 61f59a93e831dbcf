// Renovation-contract use cases behind the HTTP routes: registration, milestones, the callback worklist and callback outcomes.
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { keepText } from './action-texts';
import { authorizeContract, CUSTOMER_VIEWERS } from '../../domain/authority';
import { inScope } from '../../domain/scope';
import { checkMilestone, type Phase } from '../../domain/schedule.rules';
import type { CreateContractBody, ListCallbacksQuery, MilestoneBody, OutcomeBody } from '../../schemas/contract.schema';
import { milestoneUpdate, outcomeUpdate } from '../../workflows/contract.messages';
import { requireBranch, type StaffUser } from '../auth';
import { AppError } from '../errors';
import { createIdempotency } from '../idempotency';
import { conflict, createRegistration, registrationHash } from './contract-registration';
import { actionUpdateId, keysetPage, listFilter } from './case-workflows';
import { createComplaintService, type ComplaintDeps } from './complaints.service';
import { openProblemComplaint } from './callback-problem';
import { contractFile } from './case-file';
import { adjustmentsOf } from './contract-adjustments.service';
import { cancellationsOf } from './contract-cancellation.service';
import { alreadyRecorded, callbackItem, milestonesOf, type CallbackDocLean } from './contract-views';
import { findVisibleContract, keyedRunner } from './contract-access';

type ComplaintService = ReturnType<typeof createComplaintService>;

export interface ContractDeps extends ComplaintDeps {
  /** The complaint intake a problem found on a callback goes through; built from the same deps when not given. */
  complaints?: ComplaintService;
}

export function createContractService(deps: ContractDeps) {
  const { client, models, policy } = deps;
  const complaints = deps.complaints ?? createComplaintService(deps);
  const once = deps.idempotency ?? createIdempotency(models);
  const keyed = keyedRunner(once);

  const findContract = (contractNo: string, user: StaffUser) => findVisibleContract(models, contractNo, user);

  async function findCallback(id: string, user: StaffUser): Promise<CallbackDocLean> {
    const doc = await models.Callback.findById(id).lean();
    if (!doc || !inScope(user, doc.branch)) throw new AppError('NOT_FOUND', `callback ${id} not found`);
    return doc;
  }

  const registerOnce = createRegistration(deps);

  return {
    findContract,
    findCallback,

    /** Registers once per contract number: a repeat with the same body gets the stored answer without touching Temporal. */
    async register(body: CreateContractBody, user: StaffUser) {
      requireBranch(user, body.branch);
      const requestHash = registrationHash(body, policy.callbacks.defaultWarrantyMonths);
      const { value, replayed } = await once({
        key: `contract:${body.contractNo}`,
        requestHash,
        mismatch: () => conflict(body.contractNo),
        run: () => registerOnce(body, user, requestHash),
      });
      if (!replayed) return value;
      // The stored answer, with the contract's phase as of now (a cancelled contract says so).
      const phase = ((await models.Contract.findById(body.contractNo).lean())?.phase as Phase | undefined) ?? value.body.phase;
      return { created: false, body: { ...value.body, phase } };
    },

    /** Forwards a milestone to the schedule; once the schedule has finished, the projection answers. */
    async milestone(contractNo: string, body: MilestoneBody, user: StaffUser, idempotencyKey?: string) {
      const doc = await findContract(contractNo, user);
      const allowed = authorizeContract(user, 'milestone', body, policy.authority);
      if (!allowed.ok) throw new AppError(allowed.code, allowed.message);
      try {
        return await keyed(`milestone:${contractNo}`, user, idempotencyKey, body, async () => {
          const state = await client.workflow.getHandle(doc.workflowId).executeUpdate(milestoneUpdate, {
            args: [{ actor: { sub: user.sub, roles: user.roles }, type: body.type, at: body.at, plannedCompletionAt: body.plannedCompletionAt }],
            updateId: actionUpdateId('milestone', idempotencyKey, `${contractNo}:${user.sub}`),
          });
          return { contractNo, phase: state.phase };
        });
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
      const doc = await findContract(contractNo, user);
      const showCustomer = user.roles.some((r) => CUSTOMER_VIEWERS.includes(r));
      const [file, adjustments, cancellations] = await Promise.all([
        contractFile(models, doc, showCustomer),
        adjustmentsOf(models, doc),
        cancellationsOf(models, doc),
      ]);
      return { ...file, adjustments, ...(cancellations.length ? { cancellations } : {}) };
    },

    /** The assistants' worklist: due order, then id, so a cursor never skips or repeats a call. */
    async listCallbacks(q: ListCallbacksQuery, user: StaffUser) {
      const filter = listFilter(user, q.branch, { status: q.status, kind: q.kind });
      if (q.dueBefore) filter.push({ dueAt: { $lt: new Date(q.dueBefore) } });
      const { page, nextCursor } = await keysetPage<CallbackDocLean>(
        (f, sort, limit) => models.Callback.find(f).sort(sort).limit(limit).lean(),
        filter,
        'dueAt',
        1,
        q,
      );
      return { items: page.map(callbackItem), nextCursor };
    },

    /**
     * Records what the call found. A problem first opens a complaint through the complaint intake (keyed by the
     * callback, so a retry reuses it), then closes the callback with that complaint's id.
     */
    async outcome(id: string, body: OutcomeBody, user: StaffUser, idempotencyKey?: string) {
      return keyed(`outcome:${id}`, user, idempotencyKey, body, () => recordOutcome(id, body, user, idempotencyKey));
    },
  };

  async function recordOutcome(id: string, body: OutcomeBody, user: StaffUser, idempotencyKey?: string) {
    const cb = await findCallback(id, user);
    const project = await models.Contract.findById(cb.contractNo).lean();
    if (!project) throw new AppError('NOT_FOUND', `callback ${id} not found`);
    // Refused before a problem opens a complaint that no callback would link.
    if (cb.status === 'cancelled' || (cb.outcome && cb.outcome !== body.result)) throw alreadyRecorded(cb);

    let complaintId: string | undefined;
    if (body.result === 'problem') {
      complaintId = cb.outcome === 'problem' && cb.complaintId ? cb.complaintId : await openProblemComplaint(complaints, cb, project, body.problem!, user);
    }
    let finished = false;
    try {
      // The call's notes stay in MongoDB under the action's id; the schedule gets ids and codes only.
      const ref = actionUpdateId('outcome', idempotencyKey, `${id}:${user.sub}`) ?? `outcome:${randomUUID()}`;
      await keepText(models, cb.contractNo, ref, user.sub, body.notes ? { notes: body.notes, callbackId: id } : undefined);
      const result = await client.workflow.getHandle(project.workflowId).executeUpdate(outcomeUpdate, {
        args: [{ actor: { sub: user.sub, roles: user.roles }, callbackId: id, result: body.result, complaintId }],
        updateId: ref,
      });
      if (!result.repeat) {
        const c = result.callback;
        const item = {
          ...callbackItem(cb),
          kind: c.kind,
          dueAt: c.dueAt,
          status: c.status,
          outcome: c.outcome,
          attempts: c.attempts,
          complaintId: result.complaintId,
        };
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
  }
}
