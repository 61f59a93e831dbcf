// Lookups staff make between calls: who is on the phone, which contracts need attention.
import type { Models } from '../../db/models';
import { maySeeComplainant } from '../../domain/authority';
import type { ComplaintKind, ComplaintStatus, Step } from '../../domain/complaint.rules';
import { phoneVariants } from '../../domain/phone';
import type { Phase } from '../../domain/schedule.rules';
import type { ListContractsQuery } from '../../schemas/lookup.schema';
import type { StaffUser } from '../auth';
import { branchFilter } from './case-scope';
import { assigneesOf } from './case-file';
import { keysetPage } from './case-workflows';
import { customerKey } from './complaint-intake';
import type { ContractDocLean } from './contract-views';

const OPEN_LATE_CALLS = ['overdue', 'escalated'];

export function createLookupService({ models }: { models: Models }) {
  return {
    /** Contracts and complaints of a phone number in the caller's branches; complainants only where the caller handles them. */
    async customerByPhone(phone: string, user: StaffUser) {
      const keys = phoneVariants(phone).map((d) => customerKey(d)!);
      const scope = branchFilter(user);
      const and = (f: Record<string, unknown>) => (scope ? { $and: [f, scope] } : f);
      const [contracts, complaints] = await Promise.all([
        models.Contract.find(and({ customerKey: { $in: keys } }))
          .sort({ createdAt: -1, _id: 1 })
          .limit(50)
          .lean(),
        models.Complaint.find(and({ customerKey: { $in: keys } }))
          .sort({ createdAt: -1, _id: 1 })
          .limit(50)
          .lean(),
      ]);
      return {
        contracts: contracts.map((c) => ({
          contractNo: c._id,
          branch: c.branch,
          phase: (c.phase ?? 'signed') as Phase,
          customer: { name: c.customer?.name ?? undefined, phone: c.customer?.phone ?? undefined },
        })),
        complaints: complaints
          .filter((c) => maySeeComplainant(c.kind as ComplaintKind, user.roles))
          .map((c) => ({
            id: c._id,
            kind: c.kind as ComplaintKind,
            status: (c.status ?? 'open') as ComplaintStatus,
            step: (c.step ?? undefined) as Step | undefined,
            branch: c.branch ?? undefined,
            contractNo: c.contractNo ?? undefined,
            createdAt: c.createdAt.toISOString(),
            complainant: { name: c.complainant?.name ?? undefined, phone: c.complainant?.phone ?? undefined },
          })),
      };
    },

    /** Contracts newest first; overdue asks the calls (no join: the contract numbers with a late open call, then $in). */
    async listContracts(q: ListContractsQuery, user: StaffUser) {
      const filter: Record<string, unknown>[] = [];
      const scope = branchFilter(user, q.branch);
      if (scope) filter.push(scope);
      if (q.phase) filter.push({ phase: q.phase });
      if (q.overdue !== undefined) {
        const late = await models.Callback.find({ status: { $in: OPEN_LATE_CALLS }, ...(scope ?? {}) }, { contractNo: 1 }).lean();
        const numbers = [...new Set(late.map((c) => c.contractNo))];
        filter.push({ _id: q.overdue ? { $in: numbers } : { $nin: numbers } });
      }
      const { page, nextCursor } = await keysetPage<ContractDocLean>(
        (f, sort, limit) => models.Contract.find(f).sort(sort).limit(limit).lean(),
        filter,
        'createdAt',
        -1,
        q,
      );
      const assignees = await assigneesOf(
        models,
        'contract',
        page.map((c) => c._id),
      );
      return {
        items: page.map((c) => ({
          contractNo: c._id,
          branch: c.branch,
          phase: (c.phase ?? 'signed') as Phase,
          contractSignedAt: c.contractSignedAt.toISOString(),
          plannedCompletionAt: c.plannedCompletionAt.toISOString(),
          assignee: assignees.get(c._id),
          createdAt: c.createdAt.toISOString(),
        })),
        nextCursor,
      };
    },
  };
}
