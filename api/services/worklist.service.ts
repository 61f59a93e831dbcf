// The caller's worklist from the read model: their roles, their branches, today's calls and overdue ones, due order.
import type { Models, WorkItemDoc } from '../../db/models';
import { CUSTOMER_VIEWERS, maySeeComplainant } from '../../domain/authority';
import type { ComplaintKind } from '../../domain/complaint.rules';
import type { Policy } from '../../domain/policy';
import { expandRoles } from '../../domain/roles';
import { endOfLocalDay, latenessMs, type WorkKind } from '../../domain/worklist.rules';
import type { ListWorklistQuery } from '../../schemas/worklist.schema';
import type { StaffUser } from '../auth';
import { keysetPage } from './case-workflows';
import { branchFilter } from './case-scope';

type WorkItemLean = WorkItemDoc & { _id: string };

/** Whether the caller may see the customer on this item: roles that call customers, and for complaints the handlers. */
function showsCustomer(item: WorkItemLean, user: StaffUser): boolean {
  if (!user.roles.some((r) => CUSTOMER_VIEWERS.includes(r))) return false;
  return item.caseType !== 'complaint' || maySeeComplainant((item.complaintKind ?? 'customer') as ComplaintKind, user.roles);
}

export function itemView(item: WorkItemLean, user: StaffUser, now: number) {
  const due = item.dueAt?.getTime() ?? now;
  const customer = item.customer && showsCustomer(item, user) ? { name: item.customer.name ?? undefined, phone: item.customer.phone ?? undefined } : undefined;
  return {
    id: item._id,
    kind: item.kind as WorkKind,
    caseType: item.caseType as 'complaint' | 'contract',
    caseId: item.caseId,
    complaintKind: (item.complaintKind ?? undefined) as ComplaintKind | undefined,
    callbackId: item.callKey ? item.callKey.slice('callback:'.length) : undefined,
    callbackKind: (item.callbackKind ?? undefined) as never,
    contractNo: item.contractNo ?? undefined,
    branch: item.branch ?? undefined,
    roles: item.roles as never,
    assignee: item.assignee ?? undefined,
    dueAt: new Date(due).toISOString(),
    overdue: due < now,
    lateMs: latenessMs(due, now),
    customer,
    action: item.action ?? '',
  };
}

export function createWorklistService(deps: { models: Models; policy: Policy; now?: () => Date }) {
  const { models, policy } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async list(q: ListWorklistQuery, user: StaffUser) {
      const at = now().getTime();
      // A token with the old executive role works the regional president's and the VP's items.
      const roles = expandRoles(user.roles);
      const filter: Record<string, unknown>[] = [
        { open: true },
        // One role as an equality, which FerretDB pushes down to PostgreSQL (array containment); several as $in.
        { roles: roles.length === 1 ? roles[0] : { $in: roles } },
        // Calls and tasks due later than today wait; a complaint step shows from its start.
        { visibleFrom: { $lt: new Date(endOfLocalDay(at, policy.calendar.timeZone)) } },
      ];
      const branch = branchFilter(user, q.branch);
      if (branch) filter.push(branch);
      if (q.kind) filter.push({ kind: q.kind });
      // Assignment divides the assistants' work: an assistant sees their own and the unassigned items, other roles all.
      const assignee = q.assignee ?? (user.roles.includes('assistant') ? 'mine_or_unassigned' : 'all');
      if (assignee === 'me') filter.push({ assignee: user.sub });
      else if (assignee === 'unassigned') filter.push({ assignee: null });
      else if (assignee === 'mine_or_unassigned') filter.push({ $or: [{ assignee: user.sub }, { assignee: null }] });
      if (q.overdue === true) filter.push({ dueAt: { $lt: new Date(at) } });
      if (q.overdue === false) filter.push({ dueAt: { $gte: new Date(at) } });
      const { page, nextCursor } = await keysetPage<WorkItemLean>(
        (f, sort, limit) => models.WorkItem.find(f).sort(sort).limit(limit).lean(),
        filter,
        'dueAt',
        1,
        q,
      );
      return { items: page.map((i) => itemView(i, user, at)), nextCursor };
    },
  };
}
