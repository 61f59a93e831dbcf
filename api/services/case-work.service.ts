// Work on a case outside its workflow, in MongoDB only: assigning it, notes and call attempts, marking a task done.
import { rekeyItems } from '../../db/worklist-keys';
import { FALLBACK_BUCKET_ZONE } from '../../domain/worklist-buckets';
import { randomUUID } from 'node:crypto';
import { isDuplicateKey, type CaseNoteDoc, type Models } from '../../db/models';
import { callKey, caseKey } from '../../domain/worklist.rules';
import type { CaseNoteBody } from '../../schemas/worklist.schema';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { createIdempotency, keyReused, type Idempotency } from '../idempotency';
import { sees } from './case-scope';
import { requestHashOf } from './complaint-intake';

export type CaseType = 'complaint' | 'contract';
export type AssignTarget = CaseType | 'callback';

export function noteView(n: CaseNoteDoc & { _id: string }) {
  return {
    id: n._id,
    type: n.type as 'note' | 'call_attempt',
    text: n.text ?? undefined,
    reached: n.reached ?? undefined,
    by: n.by,
    at: n.at.toISOString(),
  };
}

export function createCaseWorkService(deps: { models: Models; timeZone?: string; idempotency?: Idempotency; now?: () => Date }) {
  const { models } = deps;
  const once = deps.idempotency ?? createIdempotency(models);
  const now = deps.now ?? (() => new Date());

  /** The case's branch when the user may see it; 404 otherwise, so another branch's cases do not even exist. */
  async function visibleCase(type: AssignTarget, id: string, user: StaffUser): Promise<{ branch?: string; closed: boolean }> {
    const doc =
      type === 'complaint'
        ? await models.Complaint.findById(id, { branch: 1 }).lean()
        : type === 'contract'
          ? await models.Contract.findById(id, { branch: 1 }).lean()
          : await models.Callback.findById(id, { branch: 1, status: 1 }).lean();
    if (!doc || !sees(user, doc.branch)) throw new AppError('NOT_FOUND', `${type} ${id} not found`);
    const status = (doc as { status?: string }).status;
    return { branch: doc.branch ?? undefined, closed: status === 'done' || status === 'cancelled' };
  }

  async function visibleTask(id: string, user: StaffUser) {
    const task = await models.Task.findById(id).lean();
    if (!task || !sees(user, task.branch)) throw new AppError('NOT_FOUND', `task ${id} not found`);
    return task;
  }

  async function writeAssignment(key: string, assignee: string, by: string): Promise<Date> {
    const existing = await models.Assignment.findById(key).lean();
    // The same assignment again keeps its instant, so a repeat changes nothing and finishes an interrupted first try.
    if (existing?.assignee === assignee) return existing.at;
    const at = new Date(Math.max(now().getTime(), (existing?.at.getTime() ?? 0) + 1));
    try {
      await models.Assignment.updateOne({ _id: key }, { $set: { assignee, assignedBy: by, at } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await models.Assignment.updateOne({ _id: key }, { $set: { assignee, assignedBy: by, at } });
    }
    return at;
  }

  return {
    /** Gives a case or a call to a named assistant: the assignment, then every item it applies to (newer wins). */
    async assign(type: AssignTarget, id: string, assignee: string, user: StaffUser) {
      const { closed } = await visibleCase(type, id, user);
      if (type === 'callback' && closed) throw new AppError('INVALID_STATE', `callback ${id} is closed; nothing is left to assign`);
      const key = type === 'callback' ? callKey(id) : caseKey(type, id);
      const at = await writeAssignment(key, assignee, user.sub);
      await models.WorkItem.updateMany(
        { $and: [{ $or: [{ caseKey: key }, { callKey: key }] }, { $or: [{ assignedAt: null }, { assignedAt: { $lt: at } }] }] },
        { $set: { assignee, assignedAt: at } },
      );
      // The assignee is part of the bucket keys: the items move to the assignee's scope (two equalities FerretDB pushes down).
      const zone = deps.timeZone ?? FALLBACK_BUCKET_ZONE;
      await Promise.all([rekeyItems(models, zone, { caseKey: key }), rekeyItems(models, zone, { callKey: key })]);
      // Only the assignments and the worklist hold the assignee: the case documents are the activities' projection, and
      // FerretDB v1 updates by read-modify-write, so a write from here beside a projection could lose one of them.
      const items = await models.WorkItem.countDocuments({ $or: [{ caseKey: key }, { callKey: key }], open: true, assignee });
      const stored = (await models.Assignment.findById(key).lean())!;
      return { target: key, assignee: stored.assignee, assignedBy: stored.assignedBy, at: stored.at.toISOString(), items };
    },

    /** A plain note or a logged call attempt; with an Idempotency-Key a repeat answers the first note. */
    async addNote(type: CaseType, id: string, body: CaseNoteBody, user: StaffUser, idempotencyKey?: string) {
      await visibleCase(type, id, user);
      const run = async () => {
        const note = {
          _id: `${type}:${id}:${randomUUID()}`,
          caseType: type,
          caseId: id,
          type: body.type,
          text: body.text || undefined,
          reached: body.reached,
          by: user.sub,
          at: now(),
        };
        await models.CaseNote.create(note);
        return noteView(note as CaseNoteDoc & { _id: string });
      };
      if (!idempotencyKey) return { created: true, note: await run() };
      const { value, replayed } = await once({
        key: `note:${type}:${id}:${user.sub}:${idempotencyKey}`,
        requestHash: requestHashOf(body),
        mismatch: () => keyReused(),
        run,
      });
      return { created: !replayed, note: value };
    },

    async notes(type: CaseType, id: string) {
      const found = await models.CaseNote.find({ caseType: type, caseId: id }).sort({ at: 1, _id: 1 }).lean();
      return found.map(noteView);
    },

    /** Marks a task done that no workflow action settles; a repeat answers the done task. */
    /** For the route's visibility check, which runs before the body is read. */
    visible: visibleCase,
    visibleTask,

    async taskDone(id: string, notes: string | undefined, user: StaffUser) {
      const task = await visibleTask(id, user);
      if (task.type === 'satisfaction_survey') throw new AppError('INVALID_STATE', 'a survey task is settled by recording the survey on its complaint');
      const at = now();
      await models.Task.updateOne({ _id: id, status: 'due' }, { $set: { status: 'done', doneBy: user.sub, doneAt: at, notes: notes || undefined } });
      await models.WorkItem.updateOne({ _id: `task:${id}`, seq: { $lt: 1 } }, { $set: { open: false, settledAt: at, seq: 1, updatedAt: at, wl: [] } });
      const done = (await models.Task.findById(id).lean())!;
      return taskView(done);
    },
  };
}

export function taskView(t: {
  _id: string;
  type: string;
  complaintId?: string | null;
  contractNo?: string | null;
  assigneeRole: string;
  dueAt: Date;
  status: string;
}) {
  return {
    id: t._id,
    type: t.type,
    complaintId: t.complaintId ?? undefined,
    contractNo: t.contractNo ?? undefined,
    assigneeRole: t.assigneeRole,
    dueAt: t.dueAt.toISOString(),
    status: (t.status === 'done' ? 'done' : 'due') as 'due' | 'done',
  };
}
