// Keeps the worklist read model current from the writes each step already makes: keyed upserts, guarded by sequence.
import type { Models } from './models';
import { insertOnce } from './models';
import { rekeyItems } from './worklist-keys';
import {
  approvalItemId,
  answerItemId,
  answerWork,
  approvalWork,
  callbackWork,
  cancellationItemId,
  cancellationWork,
  callKey,
  caseKey,
  complaintWork,
  latestAssignment,
  letterItemId,
  taskWork,
  type ComplaintStepFacts,
  type Work,
} from '../domain/worklist.rules';
import type { Role } from '../domain/roles';
import type { PendingApproval } from '../domain/approval.rules';

interface ItemBase {
  caseType: 'complaint' | 'contract';
  caseId: string;
  callbackId?: string;
  complaintKind?: string;
  callbackKind?: string;
  contractNo?: string;
  branch?: string;
}

type Customer = { name?: string; phone?: string } | undefined;

/** `timeZone` only places the due-day buckets; readers order buckets by their instants, so any zone stays correct. */
export function worklistWriter(models: Models, timeZone: string) {
  const { WorkItem, Assignment, Complaint, Contract } = models;

  /** The customer as the case documents hold them; an anonymous complainant has none. */
  async function complaintFacts(complaintId: string): Promise<{ customer: Customer; kind?: string; contractNo?: string }> {
    const doc = await Complaint.findById(complaintId, { complainant: 1, kind: 1, contractNo: 1 }).lean();
    const c = doc?.complainant;
    const customer = c && !c.anonymous && (c.name || c.phone) ? { name: c.name ?? undefined, phone: c.phone ?? undefined } : undefined;
    return { customer, kind: doc?.kind, contractNo: doc?.contractNo ?? undefined };
  }

  async function contractCustomer(contractNo: string): Promise<Customer> {
    const doc = await Contract.findById(contractNo, { customer: 1 }).lean();
    return doc?.customer?.name || doc?.customer?.phone ? { name: doc.customer.name ?? undefined, phone: doc.customer.phone ?? undefined } : undefined;
  }

  /** Gives a new item the latest assignment of its case or call; the assignment route does the same for existing items. */
  async function applyAssignment(id: string, keys: string[]): Promise<void> {
    const found = await Assignment.find({ _id: { $in: keys } }).lean();
    const latest = latestAssignment(found.map((a) => ({ assignee: a.assignee, at: a.at.getTime() })));
    if (!latest) return;
    const at = new Date(latest.at);
    await WorkItem.updateOne({ _id: id, $or: [{ assignedAt: null }, { assignedAt: { $lt: at } }] }, { $set: { assignee: latest.assignee, assignedAt: at } });
  }

  /** Opens, moves or settles one item; an older retry (lower seq) never overwrites a newer state. */
  async function put(id: string, base: ItemBase, work: Work, seq: number, customer: Customer): Promise<void> {
    const now = new Date();
    if (!work.open) {
      await WorkItem.updateOne({ _id: id, seq: { $lt: seq } }, { $set: { open: false, settledAt: now, seq, updatedAt: now, wl: [] } });
      return;
    }
    const keys = [caseKey(base.caseType, base.caseId), ...(base.callbackId ? [callKey(base.callbackId)] : [])];
    const inserted = await insertOnce(() =>
      WorkItem.updateOne(
        { _id: id },
        { $setOnInsert: { ...base, caseKey: keys[0], callKey: keys[1], open: true, seq: -1, roles: [], createdAt: now } },
        { upsert: true },
      ),
    );
    await WorkItem.updateOne(
      { _id: id, seq: { $lt: seq } },
      {
        $set: {
          kind: work.kind,
          roles: work.roles,
          dueAt: new Date(work.dueAt),
          visibleFrom: new Date(work.visibleFrom),
          action: work.action,
          branch: base.branch ?? null,
          customer: customer ?? null,
          open: true,
          settledAt: null,
          seq,
          updatedAt: now,
        },
      },
    );
    if (inserted) await applyAssignment(id, keys);
    await rekeyItems(models, timeZone, { _id: id });
  }

  return {
    /** The complaint's current step after the write of entry `seq`. */
    async complaintStep(complaintId: string, seq: number, state: ComplaintStepFacts & { branch?: string }): Promise<void> {
      const work = complaintWork(state);
      const facts = work.open ? await complaintFacts(complaintId) : { customer: undefined };
      const base: ItemBase = { caseType: 'complaint', caseId: complaintId, complaintKind: facts.kind, contractNo: facts.contractNo, branch: state.branch };
      await put(`complaint:${complaintId}`, base, work, seq, facts.customer);
    },

    /** The customer's answer item of a case with the clock: open until answered, settled when answered or out of the center's hands. */
    async answer(complaintId: string, seq: number, state: Parameters<typeof answerWork>[1] & { branch?: string }): Promise<void> {
      const work = answerWork(complaintId, state);
      const facts = work.open ? await complaintFacts(complaintId) : { customer: undefined };
      const base: ItemBase = { caseType: 'complaint', caseId: complaintId, complaintKind: facts.kind, contractNo: facts.contractNo, branch: state.branch };
      await put(answerItemId(complaintId), base, work, seq, facts.customer);
    },

    /** Undecided approval requests as their approvers' items; a decided one (no longer pending) leaves the worklist. */
    async approvals(complaintId: string, seq: number, branch: string | undefined, pending: readonly PendingApproval[]): Promise<void> {
      const open = pending.map((r) => ({ id: approvalItemId(complaintId, r.decision), work: approvalWork(complaintId, r) })).filter((x) => x.work.open);
      const base: ItemBase = { caseType: 'complaint', caseId: complaintId, branch };
      await Promise.all(open.map((x) => put(x.id, base, x.work, seq, undefined)));
      const now = new Date();
      await WorkItem.updateMany(
        { caseKey: caseKey('complaint', complaintId), kind: 'approval', open: true, seq: { $lt: seq }, _id: { $nin: open.map((x) => x.id) } },
        { $set: { open: false, settledAt: now, seq, updatedAt: now, wl: [] } },
      );
    },

    /** A contract's waiting cancellation as its approvers' item; null (decided) settles it. */
    async cancellation(contractNo: string, seq: number, branch: string, pending: PendingApproval | null): Promise<void> {
      const base: ItemBase = { caseType: 'contract', caseId: contractNo, contractNo, branch };
      await put(cancellationItemId(contractNo), base, cancellationWork(contractNo, pending), seq, undefined);
    },

    /** A call at the version the schedule wrote. */
    async callback(contractNo: string, branch: string, c: { id: string; kind: string; status: string; dueAt: number; version: number }): Promise<void> {
      const work = callbackWork(c);
      const customer = work.open ? await contractCustomer(contractNo) : undefined;
      const base: ItemBase = { caseType: 'contract', caseId: contractNo, callbackId: c.id, callbackKind: c.kind, contractNo, branch };
      await put(`callback:${c.id}`, base, work, c.version, customer);
    },

    /** A task as written (seq 0); settling it later uses a higher seq. */
    async task(t: { id: string; type: string; complaintId?: string; contractNo?: string; branch?: string; assigneeRole: Role; dueAt: string }): Promise<void> {
      const work = taskWork({ ...t, dueAt: Date.parse(t.dueAt), status: 'due' });
      const onComplaint = Boolean(t.complaintId);
      const facts = t.complaintId ? await complaintFacts(t.complaintId) : { customer: t.contractNo ? await contractCustomer(t.contractNo) : undefined };
      const base: ItemBase = {
        caseType: onComplaint ? 'complaint' : 'contract',
        caseId: (t.complaintId ?? t.contractNo)!,
        complaintKind: 'kind' in facts ? facts.kind : undefined,
        contractNo: t.contractNo,
        branch: t.branch,
      };
      await put(`task:${t.id}`, base, work, 0, facts.customer);
    },

    /** A letter legal must approve: opened when drafted (seq 0), settled by legal's decision (seq 1). */
    async letter(complaintId: string, letterId: string, branch: string | undefined, work: Work): Promise<void> {
      const facts = work.open ? await complaintFacts(complaintId) : { customer: undefined };
      const base: ItemBase = { caseType: 'complaint', caseId: complaintId, complaintKind: facts.kind, contractNo: facts.contractNo, branch };
      await put(letterItemId(letterId), base, work, work.open ? 0 : 1, facts.customer);
    },

    /** A recorded survey settles the complaint's survey tasks. */
    async settleSurveys(complaintId: string): Promise<void> {
      const now = new Date();
      await WorkItem.updateMany(
        { caseKey: caseKey('complaint', complaintId), kind: 'satisfaction_survey', open: true },
        { $set: { open: false, settledAt: now, seq: 1, updatedAt: now, wl: [] } },
      );
    },
  };
}
export type WorklistWriter = ReturnType<typeof worklistWriter>;
