// Complaint use cases behind the HTTP routes: intake, reading the case file, and forwarding staff actions to the workflow.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { createHash, randomBytes } from 'node:crypto';
import { maySeeComplainant } from '../../domain/authority';
import {
  effectiveSeverity,
  initialLevel,
  isExternalSource,
  requiresNamedComplainant,
  type ComplaintKind,
} from '../../domain/complaint.rules';
import { durationMs } from '../../domain/duration';
import { isDuplicateKey, type ComplaintDoc, type Models } from '../../db/models';
import type { Policy } from '../../schemas/policy.schema';
import type { CreateComplaintBody } from '../../schemas/complaint.schema';
import {
  COMPLAINT_WORKFLOW,
  complaintWorkflowId,
  intakeUpdate,
  type ComplaintInput,
  type ComplaintState,
} from '../../workflows/complaint.messages';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from '../cursor';

export interface ComplaintDeps {
  client: Client;
  models: Models;
  policy: Policy;
  taskQueue: string;
  indexedAttributes: () => Promise<string[]>;
  now?: () => Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Who chose the key: a client's Idempotency-Key and the system's own keys never collide. */
export type KeyScope = 'client' | 'callback';

/** Same key, same complaint: the id derives from the Idempotency-Key, or is random without one. */
export function complaintIdFor(idempotencyKey: string | undefined, scope: KeyScope = 'client'): string {
  return `C-${idempotencyKey ? sha256(`complaint:${scope}:${idempotencyKey}`).slice(0, 16) : randomBytes(8).toString('hex')}`;
}

/** Hash of a request body that ignores key order, so a retry that serialises fields differently still matches. */
export function requestHashOf(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return sha256(JSON.stringify(canonical(value)));
}

/** A stable key for "the same customer" that needs no raw phone number in queries. */
export function customerKey(phone: string | undefined): string | undefined {
  const digits = phone?.replace(/\D/g, '');
  return digits ? sha256(`customer:${digits}`).slice(0, 32) : undefined;
}

/** Business rules at intake that the schema cannot express (staff and crew complaints need a named complainant). */
export function checkIntake(body: CreateComplaintBody): void {
  if (!requiresNamedComplainant(body.kind)) return;
  if (body.complainant.anonymous) {
    throw new AppError('REAL_NAME_REQUIRED', `a ${body.kind} complaint needs the complainant's real name and contact; anonymous ones are invalid`, [
      { field: 'complainant.anonymous', rule: 'real_name_required', message: 'must be false for staff and crew complaints' },
    ]);
  }
  const missing = (['accused', 'occurredAt', 'location'] as const).filter((f) => body[f] === undefined);
  if (missing.length) {
    throw new AppError(
      'DETAILS_REQUIRED',
      `a ${body.kind} complaint must say who is accused, when and where: missing ${missing.join(', ')}`,
      missing.map((field) => ({ field, rule: 'required_for_' + body.kind, message: `is required for a ${body.kind} complaint` })),
    );
  }
}

function staticSummary(kind: ComplaintKind, body: CreateComplaintBody): string {
  return `Complaint (${kind}) via ${body.source}${body.branch ? `, branch ${body.branch}` : ''}${body.contractNo ? `, contract ${body.contractNo}` : ''}: ${body.category}`;
}

export function createComplaintService(deps: ComplaintDeps) {
  const { client, models, policy, taskQueue } = deps;
  const now = deps.now ?? (() => new Date());

  async function isRepeat(key: string | undefined, id: string): Promise<boolean> {
    if (!key) return false;
    const since = new Date(now().getTime() - durationMs(policy.complaint.repeatWindow));
    const hit = await models.Complaint.exists({
      customerKey: key,
      _id: { $ne: id },
      $or: [{ status: { $in: ['open', 'paused', 'resolved', 'legal'] } }, { closedAt: { $gte: since } }],
    });
    return hit !== null;
  }

  /** Starts the case (or reattaches to it) and waits until intake is recorded; undefined once the case has finished. */
  async function startWorkflow(input: ComplaintInput, body: CreateComplaintBody): Promise<ComplaintState | undefined> {
    const startWorkflowOperation = new WithStartWorkflowOperation(COMPLAINT_WORKFLOW, {
      taskQueue,
      workflowId: complaintWorkflowId(input.complaintId),
      args: [input],
      // A retry after a crash between the write and the start reattaches instead of starting a second case.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: staticSummary(input.kind, body),
    });
    try {
      return await client.workflow.executeUpdateWithStart(intakeUpdate, { startWorkflowOperation });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw err;
    }
  }

  return {
    async open(body: CreateComplaintBody, user: StaffUser, idempotencyKey?: string, scope: KeyScope = 'client') {
      checkIntake(body);
      const id = complaintIdFor(idempotencyKey, scope);
      const requestHash = requestHashOf(body);
      const keyReused = () =>
        new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different complaint', [
          { field: 'Idempotency-Key', rule: 'same_body', message: 'a repeat must send the same body' },
        ]);
      let existing = await models.Complaint.findById(id).lean();
      if (existing && existing.requestHash !== requestHash) throw keyReused();
      const key = body.complainant.anonymous ? undefined : customerKey(body.complainant.phone);
      const repeat = existing ? Boolean(existing.repeat) : await isRepeat(key, id);
      const severity = effectiveSeverity(body.source, body.severity, policy.complaint);
      const openedAt = existing?.createdAt ?? now();
      const input: ComplaintInput = {
        complaintId: id,
        kind: body.kind,
        source: body.source,
        contractNo: body.contractNo,
        branch: body.branch,
        category: body.category,
        severity: body.severity ?? (isExternalSource(body.source) ? 'major' : undefined),
        priority: body.priority,
        repeat,
        openedBy: user.sub,
        openedAt: openedAt.toISOString(),
        policy,
        indexedAttributes: await deps.indexedAttributes(),
      };
      const level = initialLevel(severity, repeat, policy.complaint);
      if (!existing) {
        const inserted = await models.Complaint.updateOne(
          { _id: id },
          {
            $setOnInsert: {
              kind: body.kind,
              source: body.source,
              contractNo: body.contractNo,
              branch: body.branch,
              category: body.category,
              description: body.description,
              location: body.location,
              occurredAt: body.occurredAt ? new Date(body.occurredAt) : undefined,
              complainant: body.complainant,
              accused: body.accused,
              customerKey: key,
              repeat,
              workflowId: complaintWorkflowId(id),
              idempotencyKey,
              requestHash,
              createdBy: user.sub,
              createdAt: openedAt,
              policyVersion: policy.version,
              status: 'open',
              level,
              round: 0,
              severity,
              overdue: false,
              stateSeq: 0,
            },
          },
          { upsert: true },
        ).then(
          (r) => r.upsertedCount === 1,
          (err) => {
            if (isDuplicateKey(err)) return false;
            throw err;
          },
        );
        // A concurrent request with the same key won the insert: it is the first, this one a repeat of it.
        if (!inserted) {
          existing = await models.Complaint.findById(id).lean();
          if (!existing || existing.requestHash !== requestHash) throw keyReused();
        }
      }
      const state = await startWorkflow(input, body);
      const doc = state ? undefined : await models.Complaint.findById(id).lean();
      return {
        created: !existing,
        body: {
          id,
          status: state?.status ?? doc?.status ?? 'open',
          level: state?.level ?? doc?.level ?? level,
          round: state?.round ?? doc?.round ?? 0,
        },
      };
    },

    /** The case as staff see it; 404 for a case outside a branch user's own branch. */
    async get(id: string, user: StaffUser) {
      const doc = await findVisible(id, user);
      const events = await models.CaseEvent.find({ complaintId: id }).sort({ seq: 1 }).lean();
      return {
        ...summary(doc),
        complainant: maySeeComplainant(doc.kind as ComplaintKind, user.roles) ? doc.complainant ?? undefined : undefined,
        history: events.map((e) => ({
          at: e.at.toISOString(),
          type: e.type,
          level: e.level ?? undefined,
          by: e.by ?? undefined,
          data: (e.data ?? {}) as Record<string, unknown>,
        })),
      };
    },

    async list(q: ListQuery, user: StaffUser) {
      const filter: Record<string, unknown>[] = [];
      if (q.status) filter.push({ status: q.status });
      if (q.level) filter.push({ level: q.level });
      const branch = branchScope(user) ?? q.branch;
      if (branch) filter.push({ branch });
      if (q.overdue === true) filter.push({ $or: [{ overdue: true }, { nextDeadlineAt: { $lt: now() } }] });
      if (q.overdue === false) filter.push({ overdue: { $ne: true } }, { $or: [{ nextDeadlineAt: null }, { nextDeadlineAt: { $gte: now() } }] });
      const cursor = decodeCursor(q.cursor);
      if (cursor) filter.push({ $or: [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, _id: { $lt: cursor.id } }] });
      const docs = await models.Complaint.find(filter.length ? { $and: filter } : {})
        .sort({ createdAt: -1, _id: -1 })
        .limit(q.limit + 1)
        .lean();
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(summary),
        nextCursor: docs.length > q.limit && last ? encodeCursor(last.createdAt, last._id) : null,
      };
    },

    /** Forwards a staff action as a workflow update; the Idempotency-Key makes a retry return the first result. */
    async act<A>(id: string, user: StaffUser, update: UpdateDefinition<ComplaintState, [A]>, arg: A, action: string, idempotencyKey?: string) {
      const doc = await findVisible(id, user);
      const handle = client.workflow.getHandle(doc.workflowId);
      const state = await handle.executeUpdate(update, {
        args: [arg],
        updateId: idempotencyKey ? `${action}:${sha256(idempotencyKey).slice(0, 32)}` : undefined,
      });
      return stateSummary(doc, state);
    },
  };

  function branchScope(user: StaffUser): string | undefined {
    // Branch staff work their own branch's cases only.
    const central = user.roles.some((r) => r !== 'branch');
    return !central && user.branch ? user.branch : undefined;
  }

  async function findVisible(id: string, user: StaffUser) {
    const doc = await models.Complaint.findById(id).lean();
    const scope = branchScope(user);
    if (!doc || (scope && doc.branch !== scope)) throw new AppError('NOT_FOUND', `complaint ${id} not found`);
    return doc;
  }
}

type ListQuery = {
  status?: string;
  level?: string;
  branch?: string;
  overdue?: boolean;
  limit: number;
  cursor?: string;
};


type ComplaintDocLean = ComplaintDoc & { _id: string };

function deadlineView(d: { step?: string | null; startedAt?: Date | string | null; dueAt?: Date | string | null; remainingMs?: number | null } | null | undefined) {
  if (!d?.step || !d.dueAt || !d.startedAt) return [];
  return [
    {
      step: d.step,
      startedAt: new Date(d.startedAt).toISOString(),
      dueAt: new Date(d.dueAt).toISOString(),
      ...(typeof d.remainingMs === 'number' ? { remainingMs: d.remainingMs } : {}),
    },
  ];
}

function summary(doc: ComplaintDocLean) {
  return {
    id: doc._id,
    kind: doc.kind,
    source: doc.source,
    status: doc.status ?? 'open',
    step: doc.step ?? undefined,
    severity: doc.severity ?? undefined,
    priority: doc.priority ?? undefined,
    level: doc.level ?? 'assistant',
    round: doc.round ?? 0,
    branch: doc.branch ?? undefined,
    contractNo: doc.contractNo ?? undefined,
    category: doc.category ?? undefined,
    overdue: Boolean(doc.overdue),
    createdAt: doc.createdAt.toISOString(),
    deadlines: deadlineView(doc.deadline),
    remedies: (doc.remedies ?? []) as Record<string, unknown>[],
    approvals: (doc.approvals ?? []) as Record<string, unknown>[],
  } as const;
}

/** The answer to an action comes from the workflow's own state, which is ahead of the MongoDB projection. */
function stateSummary(doc: ComplaintDocLean, state: ComplaintState) {
  return {
    ...summary(doc),
    status: state.status,
    step: state.step,
    severity: state.severity,
    priority: state.priority,
    level: state.level,
    round: state.round,
    branch: state.branch,
    overdue: state.overdue,
    deadlines: deadlineView(state.deadline),
    remedies: state.remedies as unknown as Record<string, unknown>[],
    approvals: state.approvals as unknown as Record<string, unknown>[],
  };
}
