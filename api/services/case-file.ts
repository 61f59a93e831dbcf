// The parts of a case file kept outside the workflow's projection: intake content, calls with notes, notes, tasks, assignee.
import type { Models } from '../../db/models';
import type { Role } from '../../domain/roles';
import { joinText } from './action-texts';
import { listAttachments } from './attachments.service';
import { caseKey } from '../../domain/worklist.rules';
import { noteView, taskView } from './case-work.service';
import type { ComplaintDocLean } from './complaint-views';
import { contractView, type ContractDocLean } from './contract-views';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

async function notesTasksAssignee(models: Models, type: 'complaint' | 'contract', id: string) {
  const [notes, tasks, assignment] = await Promise.all([
    models.CaseNote.find({ caseType: type, caseId: id }).sort({ at: 1, _id: 1 }).lean(),
    models.Task.find(type === 'complaint' ? { complaintId: id } : { contractNo: id })
      .sort({ dueAt: 1, _id: 1 })
      .lean(),
    models.Assignment.findById(caseKey(type, id)).lean(),
  ]);
  return { notes: notes.map(noteView), tasks: tasks.map(taskView), assignee: assignment?.assignee };
}

/** The ids of the cases of one type given to a staff member (the assignments hold the assignee, not the case documents). */
export async function assignedCases(models: Models, type: 'complaint' | 'contract', assignee: string): Promise<string[]> {
  const prefix = caseKey(type, '');
  const found = await models.Assignment.find({ assignee }, { _id: 1 }).lean();
  return found
    .map((a) => a._id)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
}

/** The assignee of each of these cases, from the assignments. */
export async function assigneesOf(models: Models, type: 'complaint' | 'contract', ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const found = await models.Assignment.find({ _id: { $in: ids.map((id) => caseKey(type, id)) } }).lean();
  const prefix = caseKey(type, '');
  return new Map(found.map((a) => [a._id.slice(prefix.length), a.assignee]));
}

/** What the customer complained about, as taken at intake, and the file's notes, tasks and assignee. */
export async function complaintFileExtras(models: Models, doc: ComplaintDocLean, user: { roles: Role[] }) {
  return {
    attachments: await listAttachments(models, doc._id, doc.kind, user.roles),
    description: doc.description ?? undefined,
    location: doc.location ?? undefined,
    occurredAt: iso(doc.occurredAt),
    accused: doc.accused?.name || doc.accused?.role ? { name: doc.accused.name ?? undefined, role: doc.accused.role ?? undefined } : undefined,
    ...(await notesTasksAssignee(models, 'complaint', doc._id)),
  };
}

type CallType = 'callback_outcome' | 'callback_not_reached';
type CallResult = 'satisfied' | 'not_reached' | 'problem';

/** Every recorded try of each call of a contract (outcomes and not-reached attempts with notes), by callback id. */
export async function callsByCallback(models: Models, contractNo: string) {
  // A call's notes stay out of Temporal (action-texts): joined back here by the entry's action id.
  const [events, withText] = await Promise.all([
    models.ContractEvent.find({ contractNo, type: { $in: ['callback_outcome', 'callback_not_reached'] } })
      .sort({ seq: 1 })
      .lean(),
    joinText(models, contractNo),
  ]);
  const calls = new Map<string, { at: string; by?: string; type: CallType; result?: CallResult; attempts?: number; notes?: string; complaintId?: string }[]>();
  for (const e of events) {
    const d = withText((e.data ?? {}) as Record<string, unknown>) as {
      callbackId?: string;
      result?: CallResult;
      attempts?: number;
      notes?: string;
      complaintId?: string;
    };
    if (!d.callbackId) continue;
    const list = calls.get(d.callbackId) ?? [];
    list.push({
      at: e.at.toISOString(),
      by: e.by ?? undefined,
      type: e.type as CallType,
      result: e.type === 'callback_not_reached' ? 'not_reached' : d.result,
      attempts: d.attempts,
      notes: d.notes || undefined,
      complaintId: d.complaintId || undefined,
    });
    calls.set(d.callbackId, list);
  }
  return calls;
}

/** The contract as staff see it: its details, every call with its tries and notes, the file's notes, tasks and assignee. */
export async function contractFile(models: Models, doc: ContractDocLean, showCustomer: boolean) {
  const contractNo = doc._id;
  const [callbacks, calls, extras] = await Promise.all([
    models.Callback.find({ contractNo }).sort({ dueAt: 1, _id: 1 }).lean(),
    callsByCallback(models, contractNo),
    notesTasksAssignee(models, 'contract', contractNo),
  ]);
  const view = contractView(doc, callbacks, showCustomer);
  return {
    ...view,
    address: doc.address ?? undefined,
    designer: doc.designer ?? undefined,
    siteSupervisor: doc.siteSupervisor ?? undefined,
    foreman: doc.foreman ?? undefined,
    startDate: view.milestones.workStartedAt,
    ...extras,
    callbacks: view.callbacks.map((c, i) => ({ ...c, attempts: callbacks[i]!.attempts ?? 0, calls: calls.get(c.id) ?? [] })),
  };
}
