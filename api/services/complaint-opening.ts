// Opening a complaint: the case document is written first (keyed on the intake id), then the workflow starts.
import { insertOnce, type Models } from '../../db/models';
import { effectiveSeverity, goesStraightToLegal, initialLevel, isExternalSource } from '../../domain/complaint.rules';
import { durationMs } from '../../domain/duration';
import type { Policy } from '../../domain/policy';
import type { CreateComplaintBody } from '../../schemas/complaint.schema';
import { COMPLAINT_WORKFLOW, complaintWorkflowId, type ComplaintInput } from '../../workflows/complaint.messages';
import type { StaffUser } from '../auth';
import { keyReused } from '../idempotency';
import { keepContact } from './action-texts';
import { startCase } from './case-workflows';
import { complaintIdFor, customerKey, requestHashOf, staticSummary, type KeyScope } from './complaint-intake';
import type { ComplaintDeps } from './complaints.service';

/** openCase(body, user, key, scope): writes the case document once and starts (or finds) its workflow. */
export function createComplaintOpening(deps: ComplaintDeps & { models: Models; policy: Policy }) {
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

  /** Starts the case (or finds it from an earlier try); the worker records the opening, so intake never waits on a busy worker. */
  function startWorkflow(input: ComplaintInput, body: CreateComplaintBody) {
    return startCase(client, {
      workflowType: COMPLAINT_WORKFLOW,
      workflowId: complaintWorkflowId(input.complaintId),
      taskQueue,
      input,
      staticSummary: staticSummary(input.kind, body),
    });
  }

  async function openCase(body: CreateComplaintBody, user: StaffUser, idempotencyKey: string | undefined, scope: KeyScope) {
    const id = complaintIdFor(idempotencyKey, scope, user.sub);
    const requestHash = requestHashOf(body);
    const key = body.complainant.anonymous ? undefined : customerKey(body.complainant.phone);
    const firstRepeat = await isRepeat(key, id);
    const severity = effectiveSeverity(body.source, body.severity, policy.complaint);
    const firstLevel = initialLevel(severity, firstRepeat, policy.complaint);
    const firstOpenedAt = now();
    // Insert first: a new case (the usual request) costs one write, no read; a repeat finds what the first one wrote.
    const inserted = await insertOnce(() =>
      models.Complaint.updateOne(
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
            repeat: firstRepeat,
            workflowId: complaintWorkflowId(id),
            idempotencyKey,
            requestHash,
            createdBy: user.sub,
            createdAt: firstOpenedAt,
            policyVersion: policy.version,
            status: 'open',
            level: firstLevel,
            round: 0,
            severity,
            overdue: false,
            stateSeq: 0,
          },
        },
        { upsert: true },
      ),
    );
    const existing = inserted ? undefined : await models.Complaint.findById(id).lean();
    if (!inserted && (!existing || existing.requestHash !== requestHash)) throw keyReused();
    const repeat = existing ? Boolean(existing.repeat) : firstRepeat;
    const level = initialLevel(severity, repeat, policy.complaint);
    const input: ComplaintInput = {
      complaintId: id,
      kind: body.kind,
      source: body.source,
      contractNo: body.contractNo,
      branch: body.branch,
      ...(body.finding ? { finding: body.finding } : {}),
      severity: body.severity ?? (isExternalSource(body.source) || goesStraightToLegal(body.source) ? 'major' : undefined),
      priority: body.priority,
      repeat,
      openedBy: user.sub,
      openedAt: (existing?.createdAt ?? firstOpenedAt).toISOString(),
      policy,
      indexedAttributes: await deps.indexedAttributes(),
    };
    // The journalist's or regulator's details go to MongoDB before the case starts; never to Temporal.
    if (body.externalContact) await keepContact(models, id, user.sub, body.externalContact);
    // A new case answers as it opens; a repeat answers the case as its file stands (it may have moved on, or closed).
    await startWorkflow(input, body);
    const doc = existing ? await models.Complaint.findById(id).lean() : undefined;
    return {
      created: !existing,
      body: { id, status: doc?.status ?? 'open', level: doc?.level ?? level, round: doc?.round ?? 0 },
    };
  }

  return openCase;
}
