// Complaint use cases behind the HTTP routes: intake, reading the case file, and forwarding staff actions to the workflow.
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import type { Models } from '../../db/models';
import { authorize, maySeeComplainant, type ActionInput, type CaseFacts, type ComplaintAction } from '../../domain/authority';
import { expandRoles, type Role } from '../../domain/roles';
import { inScope } from '../../domain/scope';
import { EXTERNAL_CONTACT_VIEWERS, type ComplaintKind } from '../../domain/complaint.rules';
import type { Policy } from '../../domain/policy';
import type { CreateComplaintBody, ListComplaintsQuery } from '../../schemas/complaint.schema';
import type { ComplaintState } from '../../workflows/complaint.messages';
import { requireBranch, type StaffUser } from '../auth';
import { AppError } from '../errors';
import { createIdempotency, keyReused, type Idempotency } from '../idempotency';
import { actionUpdateId, keysetPage, listFilter } from './case-workflows';
import { checkIntake, requestHashOf, type KeyScope } from './complaint-intake';
import { createCaseDocumentService } from './case-documents.service';
import { createComplaintOpening } from './complaint-opening';
import { externalContact, joinText, keepContact, keepText, splitText, type ExternalContact } from './action-texts';
import { assignedCases, complaintFileExtras } from './case-file';
import { defectId, defectLabels, withLabels } from './defects';
import { stateSummary, summary, type ComplaintDocLean } from './complaint-views';

export { checkIntake, complaintIdFor, customerKey, requestHashOf, type KeyScope } from './complaint-intake';

export interface ComplaintDeps {
  client: Client;
  models: Models;
  policy: Policy;
  taskQueue: string;
  indexedAttributes: () => Promise<string[]>;
  now?: () => Date;
  /** Shared Idempotency-Key store; each service makes its own when not given. */
  idempotency?: Idempotency;
}

export function createComplaintService(deps: ComplaintDeps) {
  const { client, models, policy } = deps;
  const now = deps.now ?? (() => new Date());
  const once = deps.idempotency ?? createIdempotency(models);

  const openCase = createComplaintOpening(deps);
  const documents = createCaseDocumentService(deps);

  return {
    /**
     * Opens a case. A repeated client key answers from the stored first answer without touching Temporal; while the
     * first is still running a repeat waits for it (bounded) or answers 409 IDEMPOTENCY_IN_PROGRESS.
     */
    async open(body: CreateComplaintBody, user: StaffUser, idempotencyKey?: string, scope: KeyScope = 'client') {
      checkIntake(body);
      requireBranch(user, body.branch);
      if (!idempotencyKey || scope !== 'client') return openCase(body, user, idempotencyKey, scope);
      const { value, replayed } = await once({
        key: `complaint:${user.sub}:${idempotencyKey}`,
        requestHash: requestHashOf(body),
        mismatch: () => keyReused(),
        run: () => openCase(body, user, idempotencyKey, scope),
      });
      return replayed ? { ...value, created: false } : value;
    },

    /** The case as staff see it; 404 for a case outside a branch user's own branch. */
    async get(id: string, user: StaffUser) {
      const doc = await findVisible(id, user);
      const [events, extras, withText, label, docs] = await Promise.all([
        models.CaseEvent.find({ complaintId: id }).sort({ seq: 1 }).lean(),
        complaintFileExtras(models, doc, user),
        joinText(models, id),
        defectLabels(models, [id]),
        documents.view(doc, user.roles),
      ]);
      const view = summary(doc);
      return {
        ...view,
        remedies: withLabels(view.remedies, label),
        // Who decided, who asked, when, and the reason the approver gave (kept in MongoDB).
        approvals: view.approvals.map(withText),
        approvalRequests: (doc.approvalRequests ?? []) as Record<string, unknown>[],
        ...extras,
        documents: docs,
        complainant: maySeeComplainant(doc.kind as ComplaintKind, user.roles) ? (doc.complainant ?? undefined) : undefined,
        externalContact: expandRoles(user.roles).some((r) => EXTERNAL_CONTACT_VIEWERS.includes(r)) ? await externalContact(models, id) : undefined,
        history: events.map((e) => ({
          at: e.at.toISOString(),
          type: e.type,
          level: e.level ?? undefined,
          by: e.by ?? undefined,
          data: withLabels([withText((e.data ?? {}) as Record<string, unknown>)], label)[0]!,
        })),
      };
    },

    async list(q: ListComplaintsQuery, user: StaffUser) {
      const filter = listFilter(user, q.branch, { level: q.level, contractNo: q.contract, kind: q.kind, step: q.step }, { unassignedToHotline: true });
      if (q.status) filter.push({ status: { $in: q.status } });
      if (q.owner) filter.push({ _id: { $in: await assignedCases(models, 'complaint', q.owner === 'me' ? user.sub : q.owner) } });
      if (q.openedFrom) filter.push({ createdAt: { $gte: new Date(q.openedFrom) } });
      if (q.openedTo) filter.push({ createdAt: { $lt: new Date(q.openedTo) } });
      if (q.overdue === true) filter.push({ $or: [{ overdue: true }, { nextDeadlineAt: { $lt: now() } }] });
      if (q.overdue === false) filter.push({ overdue: { $ne: true } }, { $or: [{ nextDeadlineAt: null }, { nextDeadlineAt: { $gte: now() } }] });
      // Sorted by due time, only cases whose deadline runs: the cursor needs the sort instant.
      if (q.sort === 'due') filter.push({ nextDeadlineAt: { $ne: null } });
      const { page, nextCursor } = await keysetPage<ComplaintDocLean>(
        (f, sort, limit) => models.Complaint.find(f).sort(sort).limit(limit).lean(),
        filter,
        q.sort === 'due' ? 'nextDeadlineAt' : 'createdAt',
        q.sort === 'due' ? 1 : -1,
        q,
      );
      const label = await defectLabels(
        models,
        page.filter((d) => d.remedies?.length).map((d) => d._id),
      );
      return { items: page.map((d) => ({ ...summary(d), remedies: withLabels(summary(d).remedies, label) })), nextCursor };
    },

    /** 404 unless the case exists and lies in the caller's branches (an unassigned one: the hotline's). */
    findVisible,

    /** Keeps the contact of a re-flagged case (once; a retry changes nothing). */
    keepExternalContact: (id: string, user: StaffUser, contact: ExternalContact) => keepContact(models, id, user.sub, contact),

    /**
     * Forwards a staff action as a workflow update once the authority rule allows it on the case as last projected
     * (the workflow's validator asks the same rule on its own state); the Idempotency-Key makes a retry return the first result.
     */
    async act<A>(
      id: string,
      user: StaffUser,
      update: UpdateDefinition<ComplaintState, [A]>,
      makeArg: (signAs?: Role) => A,
      action: Exclude<ComplaintAction, 'create' | 'read'>,
      input: ActionInput,
      idempotencyKey?: string,
    ) {
      const doc = await findVisible(id, user);
      // The action's id: its entries carry it, and its text is kept under it in MongoDB, never sent to Temporal.
      const ref = actionUpdateId(action, idempotencyKey, `${id}:${user.sub}`) ?? `${action}:${randomUUID()}`;
      // Inside the keyed run: a retry of an applied action answers the first result even though the case has moved on.
      const run = async () => {
        requirePayer(action, input);
        const facts = { status: doc.status ?? 'open', level: doc.level ?? 'assistant', approvals: doc.approvals ?? [] } as CaseFacts;
        const verdict = authorize(user, action, facts, { authority: policy.authority, allowance: policy.complaint.validComplaintAllowance }, input);
        if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
        // A serious or major case closes only once its file was reviewed (a MongoDB document, not the case's state).
        if (action === 'close') await documents.checkClose(doc);
        const { arg, text } = splitText(makeArg(verdict.signAs) as object);
        await keepText(models, id, ref, user.sub, text);
        // The defect label is staff text too: the case gets its id.
        const sent = arg as { defect?: unknown };
        if (action === 'compensation' && typeof sent.defect === 'string') sent.defect = await defectId(models, id, sent.defect, doc.remedies ?? []);
        const state = await client.workflow.getHandle(doc.workflowId).executeUpdate(update, { args: [arg as A], updateId: ref });
        const answer = stateSummary(doc, state);
        return { ...answer, remedies: withLabels(answer.remedies, await defectLabels(models, [id])) };
      };
      if (!idempotencyKey) return run();
      const key = `act:${id}:${action}:${user.sub}:${idempotencyKey}`;
      return (await once({ key, requestHash: requestHashOf(makeArg()), mismatch: () => keyReused(), run })).value;
    },
  };

  /** A compensation above the allowance needs an approval, and who pays decides whose: the request must say. */
  function requirePayer(action: ComplaintAction, input: ActionInput): void {
    if (action !== 'compensation' || input.type !== 'compensation' || input.payer) return;
    if ((input.amount ?? 0) <= policy.complaint.validComplaintAllowance) return;
    const message = `is required for a compensation above the fixed allowance (${policy.complaint.validComplaintAllowance}): crew or company`;
    throw new AppError('RULE_VIOLATED', `payer ${message}`, [{ field: 'payer', rule: 'required_above_allowance', message }]);
  }

  async function findVisible(id: string, user: StaffUser) {
    const doc = await models.Complaint.findById(id).lean();
    if (!doc || !inScope(user, doc.branch, { unassignedToHotline: true })) throw new AppError('NOT_FOUND', `complaint ${id} not found`);
    return doc;
  }
}
