// One durable callback schedule per renovation contract, from signing to the end of the warranty.
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import { addDurationInZone } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import type { Role } from '../domain/roles';
import { checkMilestone, phaseOf, plannedCallbacks, warrantyEnd, type CallbackResult, type Milestones } from '../domain/schedule.rules';
import {
  milestoneUpdate,
  outcomeUpdate,
  projectStateQuery,
  registrationUpdate,
  repairDoneSignal,
  ScheduleErrors,
  type CallbackState,
  type OutcomeResult,
  type ProjectInput,
  type ProjectState,
} from './project.messages';
import { notificationDeliveries } from './notification-delivery';
import { upsertIndexed } from './indexing';
import { missingSearchAttributes } from './search-attributes';

const { recordScheduleChange } = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Beyond this many events a run hands over to a fresh one even before the SDK suggests it. */
export const HISTORY_BOUND = 2_000;
const SYSTEM = 'system';
/** Recent update ids a schedule remembers across continue-as-new, so a retried milestone or outcome applies once. */
const HANDLED_UPDATES_KEPT = 100;
const OPEN = new Set(['due', 'overdue', 'escalated']);

function reject(code: string, message: string): never {
  throw wf.ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

function initialState(input: ProjectInput): ProjectState {
  return {
    contractNo: input.contractNo,
    branch: input.branch,
    milestones: {
      contractSignedAt: Date.parse(input.contractSignedAt),
      plannedCompletionAt: Date.parse(input.plannedCompletionAt),
      warrantyMonths: input.warrantyMonths,
      pennants: [],
      repairs: [],
    },
    phase: 'signed',
    created: [],
    open: [],
    outcomes: {},
    policyVersion: input.policy.version,
    seq: 0,
  };
}

export async function RenovationCallbackSchedule(input: ProjectInput, carried?: ProjectState): Promise<ProjectState> {
  const policy = input.policy;
  const cb = policy.callbacks;
  const state: ProjectState = carried ?? initialState(input);
  const m: Milestones = state.milestones;
  let rev = 0;
  const deliveries = notificationDeliveries();
  let registered = carried !== undefined;
  const missingAttributes = missingSearchAttributes(input.indexedAttributes ?? []);
  if (missingAttributes.length) wf.log.warn('custom search attributes not registered; the case is not indexed on them', { missing: missingAttributes });
  const nowMs = () => Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  function index(): void {
    const open = state.open.filter((c) => OPEN.has(c.status));
    const next = open.length ? Math.min(...open.map((c) => c.dueAt)) : undefined;
    upsertIndexed(
      {
        CaseKind: 'project',
        Branch: state.branch,
        ContractNo: state.contractNo,
        Phase: state.phase,
        NextDeadline: next === undefined ? undefined : new Date(next),
        Overdue: open.some((c) => c.status === 'overdue' || c.status === 'escalated'),
      },
      input.indexedAttributes ?? [],
    );
    wf.setCurrentDetails(`${state.phase} · ${open.length} open callback(s)${next ? ` · next due ${iso(next)}` : ''}`);
  }

  /** One entry in the project's file: the event, the callbacks it changed and who must hear of it. */
  async function record(type: string, by: string, data: Record<string, unknown>, changed: CallbackState[] = [], notify: Role[] = []) {
    rev++;
    state.seq++;
    for (const c of changed) c.version++;
    index();
    const { notificationIds } = await recordScheduleChange({
      contractNo: state.contractNo,
      seq: state.seq,
      event: { type, at: iso(nowMs()), by, data },
      project: { phase: state.phase, branch: state.branch, milestones: { ...m }, policyVersion: state.policyVersion },
      callbacks: changed.map((c) => ({ ...c })),
      notify,
    });
    deliveries.send(notificationIds);
  }

  let chain: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  }

  function horizon(now: number): number {
    return addDurationInZone(addDurationInZone(now, cb.constructionInterval, policy.calendar.timeZone), cb.constructionInterval, policy.calendar.timeZone);
  }

  /** Creates every planned callback that has fallen due; a late milestone makes past ones due at once. */
  async function createDue(now: number): Promise<void> {
    if (m.cancelledAt !== undefined) return;
    const created = new Set(state.created);
    const due = plannedCallbacks(state.contractNo, m, policy, horizon(now)).filter((p) => p.dueAt <= now && !created.has(p.id));
    if (wf.patched('late-milestone-catch-up')) {
      // A milestone recorded very late makes every past-due call up to the policy's bound, beyond it only the latest.
      const max = cb.maxLateCallsPerKind ?? 3;
      const skipped = (['construction', 'holiday_greeting'] as const).flatMap((kind) => {
        const ofKind = due.filter((p) => p.kind === kind);
        return ofKind.length > max ? ofKind.slice(0, -1) : [];
      });
      if (skipped.length) {
        state.created.push(...skipped.map((p) => p.id));
        await record('callbacks_skipped', SYSTEM, { count: skipped.length, kinds: [...new Set(skipped.map((p) => p.kind))], until: iso(skipped[skipped.length - 1]!.dueAt) });
      }
      for (const p of skipped) created.add(p.id);
    }
    for (const p of due) {
      if (created.has(p.id)) continue;
      const c: CallbackState = { id: p.id, kind: p.kind, dueAt: p.dueAt, activeSince: Math.max(p.dueAt, now), status: 'due', reminded: false, attempts: 0, version: 0 };
      state.created.push(p.id);
      state.open.push(c);
      await record('callback_due', SYSTEM, { callbackId: c.id, kind: c.kind, dueAt: iso(c.dueAt), late: now - p.dueAt > 60_000 }, [c]);
    }
  }

  function nextPlanned(now: number): number | undefined {
    if (m.cancelledAt !== undefined) return undefined;
    const created = new Set(state.created);
    const next = plannedCallbacks(state.contractNo, m, policy, horizon(now)).find((p) => !created.has(p.id));
    return next?.dueAt;
  }

  function callbackTimers(c: CallbackState): { at: number; fire: () => Promise<void> }[] {
    if (c.status !== 'due') return [];
    const timers = [];
    if (!c.reminded) {
      timers.push({
        at: c.activeSince + durationMs(cb.reminderAfter),
        fire: async () => {
          c.reminded = true;
          await record('callback_reminder', SYSTEM, { callbackId: c.id, kind: c.kind }, [c], ['assistant']);
        },
      });
    }
    timers.push({
      at: c.activeSince + durationMs(cb.overdueAfter),
      fire: async () => {
        c.status = 'overdue';
        c.reminded = true;
        await record('callback_overdue', SYSTEM, { callbackId: c.id, kind: c.kind, escalatedTo: 'supervisor' }, [c], ['supervisor']);
      },
    });
    return timers;
  }

  function nextTimer(now: number): { at: number; fire: () => Promise<void> } | undefined {
    const timers = state.open.flatMap(callbackTimers);
    const planned = nextPlanned(now);
    if (planned !== undefined) timers.push({ at: planned, fire: () => createDue(nowMs()) });
    const end = warrantyEnd(m, policy);
    if (end !== undefined && state.phase !== 'closed' && state.phase !== 'cancelled') timers.push({ at: end, fire: async () => undefined });
    return timers.sort((a, b) => a.at - b.at)[0];
  }

  function settle(): void {
    // Closed callbacks leave the open list; their outcome stays known for idempotent repeats.
    for (const c of state.open) {
      if (!OPEN.has(c.status)) {
        state.outcomes[c.id] = { kind: c.kind, dueAt: c.dueAt, outcome: c.outcome ?? 'cancelled', attempts: c.attempts, complaintId: c.complaintId };
      }
    }
    state.open = state.open.filter((c) => OPEN.has(c.status));
  }

  /**
   * A recorded or moved completion changes calls already created: construction calls after the real completion are
   * cancelled, and a completion call nobody has made yet moves to the new date.
   */
  function replanAfterCompletion(now: number): CallbackState[] {
    const plan = new Map(plannedCallbacks(state.contractNo, m, policy, horizon(now)).map((p) => [p.id, p]));
    const changed: CallbackState[] = [];
    for (const c of state.open) {
      if ((c.kind === 'construction' || c.kind === 'holiday_greeting') && m.completedAt !== undefined && c.dueAt >= m.completedAt) {
        c.status = 'cancelled';
        changed.push(c);
      } else if (c.kind === 'completion' && c.attempts === 0) {
        const p = plan.get(c.id);
        if (p && p.dueAt !== c.dueAt) {
          c.dueAt = p.dueAt;
          c.activeSince = Math.max(p.dueAt, now);
          c.status = 'due';
          c.reminded = false;
          changed.push(c);
        }
      }
    }
    return changed;
  }

  async function updatePhase(): Promise<boolean> {
    const completionCreated = state.created.some((id) => id.startsWith(`${state.contractNo}.completion.`));
    const phase = phaseOf(m, completionCreated, nowMs(), policy);
    if (phase === state.phase) return false;
    const from = state.phase;
    state.phase = phase;
    await record('phase_changed', SYSTEM, { from, to: phase });
    return true;
  }

  // Temporal dedups update ids within a run; the carried list keeps a retried action harmless across runs too.
  const alreadyHandled = () => {
    const id = wf.currentUpdateInfo()?.id;
    return id !== undefined && (state.handledUpdates ?? []).includes(id);
  };
  const remember = () => {
    const id = wf.currentUpdateInfo()?.id;
    if (id) state.handledUpdates = [...(state.handledUpdates ?? []), id].slice(-HANDLED_UPDATES_KEPT);
  };

  wf.setHandler(projectStateQuery, () => state);
  wf.setHandler(registrationUpdate, async () => {
    await wf.condition(() => registered);
    return { ...state };
  });

  wf.setHandler(
    milestoneUpdate,
    (arg) =>
      exclusive(async () => {
        if (alreadyHandled()) return { ...state };
        const verdict = checkMilestone(m, arg.type, Date.parse(arg.at), arg.plannedCompletionAt ? Date.parse(arg.plannedCompletionAt) : undefined, nowMs());
        if (verdict === 'repeat') return { ...state };
        if (verdict) reject(verdict.code, verdict.message);
        remember();
        const at = Date.parse(arg.at);
        const changed: CallbackState[] = [];
        switch (arg.type) {
          case 'work_started':
            m.workStartedAt = at;
            break;
          case 'completed':
            m.completedAt = at;
            break;
          case 'pennant_received':
            m.pennants.push(at);
            break;
          case 'completion_date_changed':
            m.plannedCompletionAt = Date.parse(arg.plannedCompletionAt!);
            break;
          case 'cancelled':
            m.cancelledAt = at;
            for (const c of state.open) {
              c.status = 'cancelled';
              changed.push(c);
            }
            break;
        }
        if (arg.type === 'completed' || arg.type === 'completion_date_changed') changed.push(...replanAfterCompletion(nowMs()));
        await record('milestone', arg.actor.sub, { type: arg.type, at: arg.at, plannedCompletionAt: arg.plannedCompletionAt }, changed, arg.type === 'cancelled' ? ['assistant'] : []);
        settle();
        await createDue(nowMs());
        await updatePhase();
        return { ...state };
      }),
    {
      validator: (arg) => {
        const verdict = checkMilestone(m, arg.type, Date.parse(arg.at), arg.plannedCompletionAt ? Date.parse(arg.plannedCompletionAt) : undefined, nowMs());
        if (verdict && verdict !== 'repeat') reject(verdict.code, verdict.message);
      },
    },
  );

  function view(c: CallbackState, repeat: boolean, complaintId?: string): OutcomeResult {
    return {
      callback: { id: c.id, kind: c.kind, dueAt: iso(c.dueAt), status: c.status, outcome: c.outcome, attempts: c.attempts },
      complaintId: complaintId ?? c.complaintId,
      repeat,
    };
  }

  /** The answer to a repeated outcome: the call as it stands, open or closed. */
  function repeatView(callbackId: string): OutcomeResult | undefined {
    const open = state.open.find((c) => c.id === callbackId);
    if (open) return view(open, true);
    const closed = state.outcomes[callbackId];
    if (!closed) return undefined;
    const outcome = closed.outcome === 'cancelled' ? undefined : closed.outcome;
    return {
      callback: { id: callbackId, kind: closed.kind, dueAt: iso(closed.dueAt), status: outcome ? 'done' : 'cancelled', outcome, attempts: closed.attempts },
      complaintId: closed.complaintId,
      repeat: true,
    };
  }

  function checkOutcome(arg: { callbackId: string; result: CallbackResult }): CallbackState | OutcomeResult {
    const open = state.open.find((c) => c.id === arg.callbackId);
    if (open) {
      if (arg.result === 'not_reached' && open.status === 'due' && nowMs() < open.activeSince)
        reject(ScheduleErrors.CALLBACK_NOT_DUE, `the retry of this call is due at ${iso(open.activeSince)}`);
      return open;
    }
    const done = state.outcomes[arg.callbackId];
    if (done === undefined) reject(ScheduleErrors.CALLBACK_NOT_FOUND, `callback ${arg.callbackId} is not part of this schedule`);
    if (done.outcome !== arg.result) reject(ScheduleErrors.OUTCOME_ALREADY_RECORDED, `this callback is already closed as ${done.outcome}`);
    return repeatView(arg.callbackId)!;
  }

  wf.setHandler(
    outcomeUpdate,
    (arg) =>
      exclusive(async () => {
        const repeat = alreadyHandled() ? repeatView(arg.callbackId) : undefined;
        if (repeat) return repeat;
        const found = checkOutcome(arg);
        if (!('version' in found)) return found;
        remember();
        const c = found;
        const by = arg.actor.sub;
        if (arg.result === 'not_reached') {
          c.attempts++;
          if (c.attempts >= cb.notReachedAttempts) {
            const first = c.status !== 'escalated';
            c.status = 'escalated';
            await record('callback_not_reached', by, { callbackId: c.id, attempts: c.attempts, unreachable: true, notes: arg.notes }, [c], first ? ['supervisor'] : []);
          } else {
            c.activeSince = c.dueAt = nowMs() + durationMs(cb.notReachedRetry);
            c.status = 'due';
            c.reminded = false;
            await record('callback_not_reached', by, { callbackId: c.id, attempts: c.attempts, retryAt: iso(c.dueAt), notes: arg.notes }, [c]);
          }
          return view(c, false);
        }
        c.onTime = c.status === 'due';
        c.status = 'done';
        c.outcome = arg.result;
        c.complaintId = arg.complaintId;
        await record('callback_outcome', by, { callbackId: c.id, result: arg.result, complaintId: arg.complaintId, notes: arg.notes }, [c]);
        const result = view(c, false);
        settle();
        return result;
      }),
    { validator: (arg) => void checkOutcome(arg) },
  );

  wf.setHandler(repairDoneSignal, ({ complaintId, completedAt }) => {
    if (m.repairs.some((r) => r.complaintId === complaintId) || m.cancelledAt !== undefined) return;
    m.repairs.push({ complaintId, completedAt: Date.parse(completedAt) });
    rev++;
  });

  if (!carried) {
    void exclusive(async () => {
      wf.metricMeter.createCounter('cases_opened', 'cases', 'Cases opened').add(1, { kind: 'project' });
      await record('registered', SYSTEM, { contractSignedAt: input.contractSignedAt, plannedCompletionAt: input.plannedCompletionAt, warrantyMonths: input.warrantyMonths });
      await createDue(nowMs());
      await updatePhase();
      registered = true;
    });
  } else {
    index();
  }

  const finished = () => (state.phase === 'closed' || state.phase === 'cancelled') && state.open.length === 0;
  let runPhase = carried ? state.phase : undefined;

  for (;;) {
    await chain;
    if (finished()) break;
    runPhase ??= registered ? state.phase : undefined;
    const info = wf.workflowInfo();
    // Each phase starts a fresh run, and so does a long one, so a years-long schedule keeps a short history.
    if (runPhase !== undefined && (state.phase !== runPhase || info.continueAsNewSuggested || info.historyLength > HISTORY_BOUND)) break;
    const now = nowMs();
    const timer = nextTimer(now);
    if (timer && timer.at <= now) {
      await exclusive(async () => {
        const due = nextTimer(nowMs());
        if (due && due.at <= nowMs()) await due.fire();
        settle();
        await updatePhase();
      });
      continue;
    }
    const seen = rev;
    if (timer) await wf.condition(() => rev !== seen, Math.max(1, timer.at - now));
    else await wf.condition(() => rev !== seen);
  }

  // An update accepted while deliveries drain is waited for too, so continue-as-new never drops one.
  do {
    await wf.condition(wf.allHandlersFinished);
    await deliveries.drain();
  } while (!wf.allHandlersFinished());
  if (finished()) return state;
  await wf.continueAsNew<typeof RenovationCallbackSchedule>(input, state);
  return state;
}
