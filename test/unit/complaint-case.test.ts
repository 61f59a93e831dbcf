// The complaint case's decisions without Temporal: fake effects and stub activities drive the ladder directly.
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { CaseEventInput } from '../../activities/create-activities';
import type { UpdateSpec } from '../../workflows/case-runtime';
import { registerComplaintActions } from '../../workflows/complaint-actions';
import { Complaint, initialComplaintState } from '../../workflows/complaint-case';
import { finished, nextTimer } from '../../workflows/complaint-clock';
import { followUpUpdate, type ComplaintInput, type ComplaintState } from '../../workflows/complaint.messages';
import { actors, complaintInput, HOUR } from '../support/fixtures';

function harness(patch: Partial<ComplaintInput> = {}) {
  let now = Date.parse('2027-03-01T02:00:00Z');
  const events: CaseEventInput[] = [];
  const tasks: string[] = [];
  const input = complaintInput({ openedAt: new Date(now).toISOString(), ...patch });
  const state = initialComplaintState(input);
  const c = new Complaint(input, state, {
    // The per-entry path: every entry reaches the stub as it is recorded (the step path is covered on the time-skipping server).
    stepWrites: false,
    now: () => now,
    patched: () => true,
    changed: () => undefined,
    index: () => undefined,
    deliver: () => undefined,
    countEscalation: () => undefined,
    signalRepairDone: async () => {
      throw new Error('no contract schedule');
    },
    activities: {
      recordCaseEvent: async (e) => {
        events.push(e);
        return { notificationsCreated: 0, notificationIds: [] };
      },
      recordCaseStep: async () => {
        throw new Error('the per-entry path writes no steps');
      },
      writeLegalHandoff: async ({ complaintId, seq }) => `${complaintId}:${seq}`,
      createTask: async (t) => {
        tasks.push(t.type);
        return true;
      },
    },
  });
  const handlers = new Map<string, UpdateSpec<unknown, ComplaintState>>();
  registerComplaintActions(c, (def, spec) => handlers.set(def.name, spec as UpdateSpec<unknown, ComplaintState>));
  /** Runs an action as the workflow would: the check, then the change. */
  async function act<A>(def: UpdateDefinition<ComplaintState, [A]>, arg: A) {
    const spec = handlers.get(def.name)!;
    spec.check(arg);
    return spec.apply(arg);
  }
  /** Fires every timer due by `until`, as the case's clock would. */
  async function advance(until: number) {
    for (let t = nextTimer(c); t && t.at <= until; t = nextTimer(c)) {
      now = t.at;
      await t.fire();
    }
    now = until;
  }
  return { c, state, events, tasks, act, advance, now: () => now };
}

describe('complaint case logic (no Temporal)', () => {
  it('opens with one entry carrying the first step and its deadline', async () => {
    const h = harness();
    await h.c.open(h.now());
    expect(h.events.map((e) => e.event.type)).toEqual(['opened']);
    expect(h.state.step).toBe('first_callback');
    expect(h.events[0]!.event.data.dueAt).toBe(h.state.deadline!.dueAt);
  });

  it('climbs the ladder on missed deadlines up to legal, writing the handoff packet', async () => {
    const h = harness();
    await h.c.open(h.now());
    await h.advance(h.now() + 60 * 24 * HOUR);
    const types = h.events.map((e) => e.event.type);
    expect(types).toContain('deadline_missed');
    expect(types).toContain('round_started');
    expect(types.at(-1)).toBe('legal_handoff');
    expect(h.state).toMatchObject({ status: 'legal', level: 'legal', step: 'legal' });
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
  });

  it('refuses an action that does not fit the state with a stable code', async () => {
    const h = harness();
    await h.c.open(h.now());
    const refusal = await h.act(followUpUpdate, { actor: actors.assistant, customerSatisfied: true }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect((refusal as ApplicationFailure).type).toBe('INVALID_STATE');
  });

  it('is not finished while the case is open', async () => {
    const h = harness();
    await h.c.open(h.now());
    expect(finished(h.c)).toBe(false);
  });
});
