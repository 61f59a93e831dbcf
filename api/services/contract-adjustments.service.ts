// Corrections of a contract's schedule: milestone dates (supervisors), single calls waived or moved, the customer's phone.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Models } from '../../db/models';
import { authorizeContract, type ContractAction } from '../../domain/authority';
import type { CorrectionBody, CustomerPhoneBody, RescheduleBody, WaiveBody } from '../../schemas/contract.schema';
import { adjustUpdate, correctionUpdate } from '../../workflows/contract.messages';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { createIdempotency } from '../idempotency';
import { joinText, keepText } from './action-texts';
import { actionUpdateId } from './case-workflows';
import { customerKey, type ComplaintDeps } from './complaints.service';
import type { ContractDocLean } from './contract-views';
import { findVisibleContract, keyedRunner } from './contract-access';

const ADJUSTMENT_TYPES = ['milestone_corrected', 'callback_waived', 'callback_rescheduled'] as const;

/** Why a finished schedule takes no correction: cancelled, closed, or never running. */
function finished(doc: ContractDocLean): AppError {
  if (doc.phase === 'cancelled') return new AppError('CONTRACT_CANCELLED', 'the contract is cancelled; nothing more can be recorded');
  if (doc.phase === 'closed') return new AppError('CONTRACT_CLOSED', 'the warranty has ended and the schedule is closed; nothing more can be recorded');
  return new AppError('CASE_FINISHED', `the callback schedule of contract ${doc._id} is not running`);
}

export function createContractAdjustmentService(deps: ComplaintDeps) {
  const { client, models, policy } = deps;
  const once = deps.idempotency ?? createIdempotency(models);

  const keyed = keyedRunner(once);

  const findContract = (contractNo: string, user: StaffUser) => findVisibleContract(models, contractNo, user);

  /** A call's contract from its id (`<contractNo>.<kind>.<key>`): a call not yet due has no document of its own. */
  async function contractOfCallback(id: string, user: StaffUser): Promise<ContractDocLean> {
    try {
      return await findContract(id.split('.')[0]!, user);
    } catch {
      throw new AppError('NOT_FOUND', `callback ${id} not found`);
    }
  }

  function allow(user: StaffUser, action: ContractAction): void {
    const verdict = authorizeContract(user, action, {}, policy.authority);
    if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
  }

  /** Keeps the reason under the action's id, then runs the update; a refused update leaves no reason behind. */
  async function withReason<T>(doc: ContractDocLean, ref: string, user: StaffUser, text: Record<string, string>, update: () => Promise<T>): Promise<T> {
    await keepText(models, doc._id, ref, user.sub, text);
    try {
      return await update();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) await models.ActionText.deleteOne({ _id: `${doc._id}:${ref}` });
      if (err instanceof WorkflowNotFoundError) {
        await models.ActionText.deleteOne({ _id: `${doc._id}:${ref}` });
        throw finished((await models.Contract.findById(doc._id).lean()) ?? doc);
      }
      throw err;
    }
  }

  const actor = (user: StaffUser) => ({ sub: user.sub, roles: user.roles });

  return {
    findContract,
    contractOfCallback,

    /** A supervisor corrects a recorded work-start or completion date; the schedule re-plans the calls still to come. */
    async correct(contractNo: string, body: CorrectionBody, user: StaffUser, key?: string) {
      const doc = await findContract(contractNo, user);
      allow(user, 'correct');
      return keyed(`correction:${contractNo}`, user, key, body, async () => {
        const ref = actionUpdateId('correction', key, `${contractNo}:${user.sub}`) ?? `correction:${randomUUID()}`;
        const state = await withReason(doc, ref, user, { reason: body.reason }, () =>
          client.workflow
            .getHandle(doc.workflowId)
            .executeUpdate(correctionUpdate, { args: [{ actor: actor(user), milestone: body.milestone, at: body.at }], updateId: ref }),
        );
        return { contractNo, phase: state.phase };
      });
    },

    /** Waives one call, or moves it to the time the customer asked for (on a working day). */
    async adjust(id: string, action: 'waive' | 'reschedule', body: WaiveBody | RescheduleBody, user: StaffUser, key?: string) {
      const doc = await contractOfCallback(id, user);
      allow(user, 'adjust');
      return keyed(`${action}:${id}`, user, key, body, async () => {
        const ref = actionUpdateId(action, key, `${id}:${user.sub}`) ?? `${action}:${randomUUID()}`;
        const dueAt = 'dueAt' in body ? body.dueAt : undefined;
        const result = await withReason(doc, ref, user, { reason: body.reason }, () =>
          client.workflow
            .getHandle(doc.workflowId)
            .executeUpdate(adjustUpdate, { args: [{ actor: actor(user), callbackId: id, action, dueAt }], updateId: ref }),
        );
        return { callback: result.callback };
      });
    },

    /** The customer's new phone: MongoDB only (personal data never reaches Temporal); the lookup by phone finds it at once. */
    async updatePhone(contractNo: string, body: CustomerPhoneBody, user: StaffUser) {
      const doc = await findContract(contractNo, user);
      allow(user, 'customer');
      if (doc.customer?.phone === body.phone) return { contractNo, changed: false };
      await models.Contract.updateOne(
        { _id: contractNo },
        {
          $set: { 'customer.phone': body.phone, customerKey: customerKey(body.phone) },
          $push: { customerUpdates: { at: new Date(), by: user.sub, field: 'phone' } },
        },
      );
      return { contractNo, changed: true };
    },
  };
}

/** The file's staff changes, oldest first: corrected dates and adjusted calls with their reasons, phone changes (who and when only). */
export async function adjustmentsOf(models: Models, doc: ContractDocLean) {
  const [events, withText] = await Promise.all([
    models.ContractEvent.find({ contractNo: doc._id, type: { $in: [...ADJUSTMENT_TYPES] } })
      .sort({ seq: 1 })
      .lean(),
    joinText(models, doc._id),
  ]);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const changes = events.map((e) => {
    const d = withText((e.data ?? {}) as Record<string, unknown>);
    const type = e.type as (typeof ADJUSTMENT_TYPES)[number];
    return {
      type,
      at: e.at.toISOString(),
      by: e.by ?? undefined,
      milestone: str(d.milestone) as 'work_started' | 'completed' | undefined,
      callbackId: str(d.callbackId),
      from: type === 'callback_waived' ? str(d.dueAt) : str(d.from),
      to: type === 'callback_rescheduled' ? str(d.dueAt) : str(d.to),
      reason: str(d.reason),
    };
  });
  const phones = ((doc.customerUpdates ?? []) as { at: Date; by?: string }[]).map((u) => ({
    type: 'customer_phone_updated' as const,
    at: new Date(u.at).toISOString(),
    by: u.by,
  }));
  return [...changes, ...phones].sort((a, b) => a.at.localeCompare(b.at));
}
