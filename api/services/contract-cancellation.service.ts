// Contract cancellation as an approval step: a handler asks with a reason code, the approver of cancel_order decides.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Models } from '../../db/models';
import { authorizeContract, type ContractAction } from '../../domain/authority';
import type { CancelReason } from '../../domain/cancellation.rules';
import type { Role } from '../../domain/roles';
import type { CancellationDecisionBody, CancellationRequestBody } from '../../schemas/cancellation.schema';
import { cancellationDecisionUpdate, cancellationRequestUpdate, type CancellationResult } from '../../workflows/contract.messages';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { createIdempotency } from '../idempotency';
import { joinText, keepText } from './action-texts';
import { actionUpdateId } from './case-workflows';
import type { ComplaintDeps } from './complaints.service';
import type { ContractDocLean } from './contract-views';
import { findVisibleContract, keyedRunner } from './contract-access';

const CANCELLATION_TYPES = ['cancellation_requested', 'cancellation_reminder', 'cancellation_escalated', 'cancellation_decided', 'milestone'];

/** Why a schedule that has ended takes no request: cancelled, closed, or never running. */
function finished(doc: ContractDocLean | null, contractNo: string): AppError {
  if (doc?.phase === 'cancelled') return new AppError('CONTRACT_CANCELLED', 'the contract is already cancelled');
  if (doc?.phase === 'closed') return new AppError('CONTRACT_CLOSED', 'the warranty has ended and the schedule is closed; nothing more can be recorded');
  return new AppError('CASE_FINISHED', `the callback schedule of contract ${contractNo} is not running`);
}

export function createContractCancellationService(deps: ComplaintDeps) {
  const { client, models, policy } = deps;
  const once = deps.idempotency ?? createIdempotency(models);

  const findContract = (contractNo: string, user: StaffUser) => findVisibleContract(models, contractNo, user);

  function allow(user: StaffUser, action: ContractAction): Role | undefined {
    const verdict = authorizeContract(user, action, {}, policy.authority);
    if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
    return verdict.signAs;
  }

  /** Keeps the reason under the action's id, runs the update, and leaves no reason behind when the schedule refuses. */
  async function send(doc: ContractDocLean, ref: string, user: StaffUser, reason: string | undefined, update: () => Promise<CancellationResult>) {
    await keepText(models, doc._id, ref, user.sub, reason ? { reason } : undefined);
    try {
      const result = await update();
      return { contractNo: doc._id, phase: result.phase, cancellation: result.cancellation, repeat: result.repeat };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
        await models.ActionText.deleteOne({ _id: `${doc._id}:${ref}` });
      }
      if (err instanceof WorkflowNotFoundError) throw finished(await models.Contract.findById(doc._id).lean(), doc._id);
      throw err;
    }
  }

  const keyed = keyedRunner(once);

  const actor = (user: StaffUser) => ({ sub: user.sub, roles: user.roles });

  return {
    findContract,

    /** A handler asks; a request already waiting is the answer (its reason stands), so asking twice changes nothing. */
    async request(contractNo: string, body: CancellationRequestBody, user: StaffUser, key?: string) {
      const doc = await findContract(contractNo, user);
      allow(user, 'cancel-request');
      return keyed(`cancellation-request:${contractNo}`, user, key, body, () => {
        const ref = actionUpdateId('cancellation-request', key, `${contractNo}:${user.sub}`) ?? `cancellation-request:${randomUUID()}`;
        const args = [{ actor: actor(user), reasonCode: body.reasonCode }] as const;
        return send(doc, ref, user, body.reason, () =>
          client.workflow.getHandle(doc.workflowId).executeUpdate(cancellationRequestUpdate, { args: [...args], updateId: ref }),
        );
      });
    },

    /** The approver of cancel_order approves (the contract is cancelled) or rejects with a reason (it may be asked again). */
    async decide(contractNo: string, body: CancellationDecisionBody, user: StaffUser, key?: string) {
      const doc = await findContract(contractNo, user);
      const role = allow(user, 'cancel-decision')!;
      return keyed(`cancellation-decision:${contractNo}`, user, key, body, () => {
        const ref = actionUpdateId('cancellation-decision', key, `${contractNo}:${user.sub}`) ?? `cancellation-decision:${randomUUID()}`;
        const arg = { actor: actor(user), approved: body.approved, role };
        return send(doc, ref, user, body.reason, () =>
          client.workflow.getHandle(doc.workflowId).executeUpdate(cancellationDecisionUpdate, { args: [arg], updateId: ref }),
        );
      });
    },
  };
}

type Cancellation = {
  status: 'pending' | 'approved' | 'rejected';
  reasonCode: CancelReason;
  reason?: string;
  requestedBy: string;
  requestedAt: string;
  remindAt?: string;
  escalateAt?: string;
  remindedAt?: string;
  escalatedAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  role?: Role;
  decisionReason?: string;
};

/** The file's cancellation requests, oldest first, from the schedule's entries and the texts kept beside them. */
export async function cancellationsOf(models: Models, doc: ContractDocLean): Promise<Cancellation[]> {
  const [events, withText] = await Promise.all([
    models.ContractEvent.find({ contractNo: doc._id, type: { $in: CANCELLATION_TYPES } })
      .sort({ seq: 1 })
      .lean(),
    joinText(models, doc._id),
  ]);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: Cancellation[] = [];
  for (const e of events) {
    const d = withText((e.data ?? {}) as Record<string, unknown>);
    const at = e.at.toISOString();
    const open = out.at(-1)?.status === 'pending' ? out.at(-1) : undefined;
    if (e.type === 'cancellation_requested') {
      const reasonCode = d.reasonCode as CancelReason;
      out.push({
        status: 'pending',
        reasonCode,
        reason: str(d.reason),
        requestedBy: e.by ?? '',
        requestedAt: at,
        remindAt: str(d.remindAt),
        escalateAt: str(d.escalateAt),
      });
    } else if (open && e.type === 'cancellation_reminder') open.remindedAt = at;
    else if (open && e.type === 'cancellation_escalated') open.escalatedAt = at;
    else if (open && e.type === 'cancellation_decided') {
      Object.assign(open, {
        status: d.approved ? 'approved' : 'rejected',
        decidedBy: e.by ?? undefined,
        decidedAt: at,
        role: d.role,
        decisionReason: str(d.reason),
      });
    } else if (open && e.type === 'milestone' && d.type === 'cancelled') {
      // The approver's own cancelled milestone answered the waiting request.
      Object.assign(open, { status: 'approved', decidedBy: e.by ?? undefined, decidedAt: at });
    }
  }
  return out;
}
