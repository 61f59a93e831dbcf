// Writes of a contract's file: its events, the contract projection, the callbacks a change touched, the notices.
import type { Models } from '../db/models';
import { insertOnce } from '../db/models';
import type { PendingApproval } from '../domain/approval.rules';
import { waitingRequest } from '../domain/cancellation.rules';
import type { Role } from '../domain/roles';
import type { CallbackKind, CallbackResult, CallbackStatus, Milestones } from '../domain/schedule.rules';
import { createNotices } from './notification.activities';
import type { WorklistWriter } from '../db/worklist-writer';

/** One callback as the schedule changed it. */
export interface CallbackChange {
  id: string;
  kind: CallbackKind;
  dueAt: number;
  status: CallbackStatus;
  attempts: number;
  outcome?: CallbackResult;
  complaintId?: string;
  onTime?: boolean;
  /** Bumped on every change of this call; a stored call is only overwritten by a newer version. */
  version: number;
}

/** A call planned but not yet due, and the calendar its due date was planned with. */
export interface PlanItem {
  id: string;
  kind: CallbackKind;
  dueAt: number;
  calendarVersion: string;
}

export interface ContractProjection {
  phase: string;
  branch: string;
  milestones: Milestones;
  policyVersion: string;
  /** Absent from runs before calendars-as-data: the stored plan is then left as it is. */
  plan?: PlanItem[];
  /** The waiting cancellation request, null once decided; absent on schedules that never had one. */
  cancellation?: PendingApproval | null;
}

export interface ScheduleChangeInput {
  contractNo: string;
  /** The entry's position in the contract's file; keys the event and guards the projection against an older retry. */
  seq: number;
  event: { type: string; at: string; by: string; data: Record<string, unknown> };
  contract?: ContractProjection;
  /** The same projection under its name before the rename: activity tasks scheduled by an older worker carry it. */
  project?: ContractProjection;
  callbacks: CallbackChange[];
  notify: Role[];
}

/** One entry of a contract's file as a step writes it. */
export interface ContractEntry {
  seq: number;
  event: { type: string; at: string; by: string; data: Record<string, unknown> };
  notify: Role[];
}

/** Everything one step of a schedule writes, in one activity: its entries, the projection and the calls it changed. */
export interface ContractStepInput {
  contractNo: string;
  entries: ContractEntry[];
  contract: ContractProjection;
  /** Each changed call once, at its latest version. */
  callbacks: CallbackChange[];
}

export function contractFileActivities(models: Models, postsToWebhook: boolean, worklist: WorklistWriter) {
  const { Contract, Callback, ContractEvent } = models;

  function writeEntry(contractNo: string, branch: string, { seq, event, notify }: ContractEntry) {
    const at = new Date(event.at);
    const written = insertOnce(() =>
      ContractEvent.updateOne(
        { _id: `${contractNo}:${String(seq).padStart(6, '0')}` },
        { $setOnInsert: { contractNo, seq, at, recordedAt: new Date(), type: event.type, by: event.by, data: event.data } },
        { upsert: true },
      ),
    );
    const subject = typeof event.data.callbackId === 'string' ? `callback ${event.data.callbackId}` : `contract ${contractNo}`;
    // The stored case type keeps its historical value, so existing notices and filters stay consistent.
    const message = `${subject}: ${event.type.replace(/_/g, ' ')}`;
    const notices = createNotices(models, { caseId: contractNo, caseType: 'project', seq, type: event.type, branch, message, createdAt: at }, notify);
    return Promise.all([written, notices]).then(([, n]) => n);
  }

  // Guarded by sequence so a late retry of an older step never overwrites a newer state.
  function project(contractNo: string, seq: number, contract: ContractProjection) {
    return Contract.updateOne(
      { _id: contractNo, stateSeq: { $lt: seq } },
      {
        $set: {
          stateSeq: seq,
          phase: contract.phase,
          milestones: contract.milestones,
          policyVersion: contract.policyVersion,
          ...(contract.plan ? { plan: contract.plan } : {}),
          ...(contract.cancellation !== undefined ? { cancellationRequest: waitingRequest(contract.phase, contract.cancellation) } : {}),
        },
      },
    );
  }

  /** The approver's worklist item of a waiting cancellation; schedules that never had a request write none. */
  function cancellationItem(contractNo: string, seq: number, contract: ContractProjection) {
    const request = waitingRequest(contract.phase, contract.cancellation);
    return request === undefined ? undefined : worklist.cancellation(contractNo, seq, contract.branch, request);
  }

  async function writeCallback(contractNo: string, branch: string, at: Date, c: CallbackChange) {
    await insertOnce(() =>
      Callback.updateOne(
        { _id: c.id },
        { $setOnInsert: { contractNo, branch, kind: c.kind, dueAt: new Date(c.dueAt), status: c.status, attempts: 0, createdAt: at, version: 0 } },
        { upsert: true },
      ),
    );
    // Guarded by the callback's own version, so a late retry never undoes a newer outcome.
    await Callback.updateOne(
      { _id: c.id, version: { $lt: c.version } },
      {
        $set: {
          dueAt: new Date(c.dueAt),
          status: c.status,
          outcome: c.outcome ?? null,
          attempts: c.attempts,
          complaintId: c.complaintId ?? null,
          onTime: c.onTime ?? null,
          updatedAt: at,
          version: c.version,
        },
      },
    );
    await worklist.callback(contractNo, branch, c);
  }

  const posted = (ids: string[]) => (postsToWebhook ? ids : []);

  return {
    /** One change per activity (the activity keeps its recorded name): what schedules before one-write-per-step replay against. */
    async recordScheduleChange(input: ScheduleChangeInput): Promise<{ notificationsCreated: number; notificationIds: string[] }> {
      const { contractNo, seq, event, callbacks, notify } = input;
      const contract = (input.contract ?? input.project)!;
      const at = new Date(event.at);
      const [result] = await Promise.all([
        writeEntry(contractNo, contract.branch, { seq, event, notify }),
        project(contractNo, seq, contract),
        cancellationItem(contractNo, seq, contract),
        Promise.all(callbacks.map((c) => writeCallback(contractNo, contract.branch, at, c))),
      ]);
      return { notificationsCreated: result.notificationsCreated, notificationIds: posted(result.notificationIds) };
    },

    /** A whole step of the schedule in one write. */
    async recordContractStep({
      contractNo,
      entries,
      contract,
      callbacks,
    }: ContractStepInput): Promise<{ notificationsCreated: number; notificationIds: string[] }> {
      const lastSeq = Math.max(...entries.map((e) => e.seq));
      const at = new Date(entries[entries.length - 1]!.event.at);
      const [written] = await Promise.all([
        Promise.all(entries.map((e) => writeEntry(contractNo, contract.branch, e))),
        project(contractNo, lastSeq, contract),
        cancellationItem(contractNo, lastSeq, contract),
        Promise.all(callbacks.map((c) => writeCallback(contractNo, contract.branch, at, c))),
      ]);
      return {
        notificationsCreated: written.reduce((n, w) => n + w.notificationsCreated, 0),
        notificationIds: posted(written.flatMap((w) => w.notificationIds)),
      };
    },
  };
}
