// What every case workflow repeats: one lock, update-id dedupe, indexing, wake-ups, and the drain before a run ends.
import * as wf from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../activities/create-activities';
import { upsertIndexed } from './indexing';
import { notificationDeliveries } from './notification-delivery';
import { missingSearchAttributes, type IndexedValues } from './search-attributes';

/** Activity options of every case step: short writes, retried with backoff until the database answers. */
export const caseActivities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The step writer: one local activity per step (a marker in history, not three events), retried like the rest. */
export const stepActivities = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Patch id: a step's entries, notices and tasks go to the database in one write at the end of the step. */
export const ONE_WRITE_PER_STEP = 'one-write-per-step';

/** Patch id: a staff action is authorized (domain/authority.ts) inside the handler too, and approvals follow the split matrix. */
export const AUTHORITY_RULE = 'authority-rule';

/**
 * Patch id: that step write is a regular activity, not a local one. A local activity still running when the workflow
 * task is heartbeated, with an update arriving meanwhile, left a history the SDK cannot replay (the case stuck for good;
 * test/integration/slow-step-update.test.ts). Found by the fault suite under load.
 */
export const STEP_WRITES_AS_ACTIVITIES = 'step-writes-as-activities';

/**
 * Patch id: the step write is a local activity again, bounded so it can never outlive its workflow task: each attempt
 * ends well before the task's heartbeat (80 % of its 10 s timeout) and every retry waits on a server timer, so the
 * case of step-writes-as-activities cannot arise, and a step costs a marker instead of three events and a task.
 */
export const STEP_WRITES_BOUNDED_LOCAL = 'step-writes-bounded-local';

/** The bounded step writer: 5 s per attempt (a write takes milliseconds; 5 s is a database in trouble), retried by timer. */
export const boundedStepActivities = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  localRetryThreshold: '0 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Recent update ids a case remembers across continue-as-new, so a retried staff action is applied once. */
export const HANDLED_UPDATES_KEPT = 100;

export interface DedupedState {
  /** Ids of the latest staff actions applied, carried across continue-as-new. */
  handledUpdates?: string[];
}

/** One staff action: check refuses (or answers a no-op repeat), apply changes the case; repeat answers a retried id. */
export interface UpdateSpec<A, R> {
  // biome-ignore lint/suspicious/noConfusingVoidType: most checks only refuse and return nothing
  check: (arg: A) => R | undefined | void;
  apply: (arg: A) => Promise<R>;
  repeat: (arg: A) => R | undefined;
  /** The authority rule: refuses in the validator (before anything is recorded) and, in runs that have the patch, again in the handler. */
  authorize?: (arg: A) => void;
}

/** The side of a case the logic classes see; the workflow gives the real one, unit tests a fake. */
export interface CaseEffects {
  /** Decided once per run (patched): true writes each step once, at its end; false is the per-entry path of older runs. */
  stepWrites: boolean;
  now(): number;
  patched(patchId: string): boolean;
  /** The id of the staff action being applied (its update id): entries it records point to the text kept in MongoDB under it. */
  actionRef?(): string | undefined;
  /** Wakes the case's clock: something changed that may move its next timer. */
  changed(): void;
  index(values: IndexedValues, details: string): void;
  deliver(notificationIds: readonly string[] | undefined): void;
}

export function createCaseRuntime(state: DedupedState, indexedAttributes: readonly string[] | undefined) {
  const registered = indexedAttributes ?? [];
  const missing = missingSearchAttributes(registered);
  if (missing.length) wf.log.warn('custom search attributes not registered; the case is not indexed on them', { missing });
  const deliveries = notificationDeliveries();
  // Asked first thing in the run, so a replayed older run answers false for the whole run, not just until it catches up.
  const stepWrites = wf.patched(ONE_WRITE_PER_STEP);
  // Newest first: a run that has the bounded local write never asks (nor marks) the patch it replaces.
  const boundedLocal = wf.patched(STEP_WRITES_BOUNDED_LOCAL);
  const stepsAsActivities = !boundedLocal && wf.patched(STEP_WRITES_AS_ACTIVITIES);
  let lastIndexed: string | undefined;
  /** Writes what a transition left pending; the case registers it once its logic exists. */
  let flush: () => Promise<void> = async () => undefined;
  /** Counts changes; the clock loop sleeps until it moves or the next timer is due. */
  let changes = 0;
  // One lock for handlers and timers: a handler that awaits an activity never interleaves with another transition.
  let chain: Promise<unknown> = Promise.resolve();

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(async () => {
      try {
        return await fn();
      } finally {
        await flush();
      }
    });
    chain = run.catch(() => undefined);
    return run;
  }

  // Temporal dedups update ids within a run; the carried list keeps a retried action harmless across runs too.
  function alreadyHandled(): boolean {
    const id = wf.currentUpdateInfo()?.id;
    return id !== undefined && (state.handledUpdates ?? []).includes(id);
  }
  function remember(): void {
    const id = wf.currentUpdateInfo()?.id;
    if (id) state.handledUpdates = [...(state.handledUpdates ?? []), id].slice(-HANDLED_UPDATES_KEPT);
  }

  const effects: CaseEffects = {
    stepWrites,
    now: () => Date.now(),
    patched: (patchId) => wf.patched(patchId),
    actionRef: () => wf.currentUpdateInfo()?.id,
    changed: () => void changes++,
    index(values, details) {
      wf.setCurrentDetails(details);
      // One upsert per step, and none when the step moved nothing ops filter on (a warning, say).
      if (stepWrites) {
        const key = JSON.stringify(values);
        if (key === lastIndexed) return;
        lastIndexed = key;
      }
      upsertIndexed(values, registered);
    },
    deliver: (ids) => deliveries.send(ids),
  };

  return {
    effects,
    exclusive,
    /** Which proxy writes a step in this run: bounded local (new runs), regular (runs of Nov 2026), or unbounded local (older). */
    steps: boundedLocal ? boundedStepActivities : stepsAsActivities ? caseActivities : stepActivities,
    /** Registers the write that ends every transition (a no-op while nothing is pending). */
    onTransitionEnd(write: () => Promise<void>): void {
      flush = write;
    },
    /** Resolves once everything queued on the lock so far has run. */
    idle: () => chain,

    /** Registers an update whose check runs as validator (refuses early) and again inside the lock (state may have moved). */
    onUpdate<A, R>(def: UpdateDefinition<R, [A]>, spec: UpdateSpec<A, R>): void {
      wf.setHandler(
        def,
        (arg: A) =>
          exclusive(async () => {
            if (alreadyHandled()) {
              const answer = spec.repeat(arg);
              if (answer !== undefined) return answer;
            }
            // The level may have moved since the validator ran; older histories replay without this check.
            if (spec.authorize && wf.patched(AUTHORITY_RULE)) spec.authorize(arg);
            const early = spec.check(arg);
            if (early !== undefined) return early as R;
            remember();
            return spec.apply(arg);
          }),
        {
          validator: (arg: A) => {
            spec.authorize?.(arg);
            void spec.check(arg);
          },
        },
      );
    },

    /** Sleeps until something changes or, when given, until the instant `at`. */
    async waitForChange(at?: number): Promise<void> {
      const seen = changes;
      if (at === undefined) await wf.condition(() => changes !== seen);
      else await wf.condition(() => changes !== seen, Math.max(1, at - Date.now()));
    },

    /** Waits until no handler runs and no delivery is pending; an update accepted while draining is waited for too. */
    async settle(): Promise<void> {
      do {
        await wf.condition(wf.allHandlersFinished);
        await deliveries.drain();
      } while (!wf.allHandlersFinished());
    },
  };
}

export type CaseRuntime = ReturnType<typeof createCaseRuntime>;
