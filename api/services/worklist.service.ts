// The caller's worklist from the read model's due buckets: their roles, their branches, today's calls and overdue ones, due order.
import type { Models } from '../../db/models';
import { CUSTOMER_VIEWERS, maySeeComplainant } from '../../domain/authority';
import type { ComplaintKind } from '../../domain/complaint.rules';
import type { Policy } from '../../domain/policy';
import { expandRoles, type Role } from '../../domain/roles';
import { POOL, readerPrefixes } from '../../domain/worklist-buckets';
import { endOfLocalDay, latenessMs, type WorkKind } from '../../domain/worklist.rules';
import type { ListWorklistQuery } from '../../schemas/worklist.schema';
import type { StaffUser } from '../auth';
import { decodeCursor, encodeCursor } from '../cursor';
import { visibleBranches } from './case-scope';
import { readBuckets, type WorkItemLean } from './worklist-read';

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

/** Branches the caller reads: undefined for any, none when a requested branch is outside their scope. */
function readBranches(user: StaffUser, requested?: string): string[] | undefined {
  const branches = visibleBranches(user);
  if (requested) return branches && !branches.includes(requested) ? [] : [requested];
  return branches;
}

export function createWorklistService(deps: { models: Models; policy: Policy; now?: () => Date }) {
  const { models, policy } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async list(q: ListWorklistQuery, user: StaffUser) {
      const at = now().getTime();
      const timeZone = policy.calendar.timeZone;
      // Calls and tasks due later than today wait; a complaint step shows from its start.
      const endOfDay = endOfLocalDay(at, timeZone);
      // A token with the old executive role works the regional president's and the VP's items.
      const roles = expandRoles(user.roles);
      const branches = readBranches(user, q.branch);
      // Assignment divides the assistants' work: an assistant sees their own and the unassigned items, other roles all.
      const assignee = q.assignee ?? (user.roles.includes('assistant') ? 'mine_or_unassigned' : 'all');
      const slots = assignee === 'me' ? [user.sub] : assignee === 'unassigned' ? [POOL] : assignee === 'mine_or_unassigned' ? [user.sub, POOL] : undefined;
      const cursor = decodeCursor(q.cursor);
      const accept = (i: WorkItemLean): boolean => {
        const due = i.dueAt?.getTime();
        if (!i.open || due === undefined || !i.visibleFrom || i.visibleFrom.getTime() >= endOfDay) return false;
        if (!i.roles.some((r) => roles.includes(r as Role))) return false;
        if (branches && !branches.includes(i.branch ?? '')) return false;
        if (q.kind && i.kind !== q.kind) return false;
        if (slots && !slots.includes(i.assignee || POOL)) return false;
        if (q.overdue === true && !(due < at)) return false;
        if (q.overdue === false && !(due >= at)) return false;
        return !cursor || due > cursor.at.getTime() || (due === cursor.at.getTime() && i._id > cursor.id);
      };
      const skip = (b: { from: Date; to: Date; early: boolean }): boolean =>
        (cursor !== undefined && b.to.getTime() <= cursor.at.getTime()) ||
        (q.overdue === true && b.from.getTime() >= at) ||
        (q.overdue === false && b.to.getTime() <= at) ||
        (!b.early && b.from.getTime() >= endOfDay);
      const prefixes = branches?.length === 0 ? [] : readerPrefixes(roles, branches, slots);
      const docs = await readBuckets(models, { prefixes, accept, skip, limit: q.limit, timeZone });
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor = docs.length > q.limit && last ? encodeCursor(last.dueAt!, last._id) : null;
      return { items: page.map((i) => itemView(i, user, at)), nextCursor };
    },
  };
}
