// The rules a schedule's run plans and times with: working-time clocks, the warranty's own length, out-of-order completion.
import { addWorkingTime, shiftToWorkingDay } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import type { CalendarPolicy, WorkingClock } from '../domain/policy';
import type { PlanRules } from '../domain/schedule.rules';
import type { CaseEffects } from './case-runtime';
import type { ContractInput, ContractState } from './contract.messages';

/** Patch id: the clocks the policy lists in callbacks.workingTimeClocks count working days only. */
export const WORKING_TIME_CLOCKS = 'working-time-clocks';
/** Patch id: the warranty ends after its own length (input.warrantyLength), its calls every interval within it. */
export const WARRANTY_LENGTH = 'warranty-length';
/** Patch id: a completion recorded without a work start is followed (DOMAIN §1), with its completion call. */
export const OUT_OF_ORDER_COMPLETION = 'out-of-order-completion';

export class RunRules {
  /** Each asked once at the start of a run, and only when the case's policy or input has the rule, so older runs replay. */
  readonly working: ReadonlySet<WorkingClock>;
  readonly warrantyLength?: string;
  readonly followsOutOfOrder: boolean;

  constructor(input: ContractInput, fx: Pick<CaseEffects, 'patched'>) {
    const listed = input.policy.callbacks.workingTimeClocks ?? [];
    this.working = new Set(listed.length && fx.patched(WORKING_TIME_CLOCKS) ? listed : []);
    this.warrantyLength = input.warrantyLength && fx.patched(WARRANTY_LENGTH) ? input.warrantyLength : undefined;
    this.followsOutOfOrder = fx.patched(OUT_OF_ORDER_COMPLETION);
  }

  /** When a clock started at `start` ends: in working time if the policy says so, else in calendar time. */
  clock(start: number, iso: string, which: WorkingClock, cal: CalendarPolicy): number {
    const ms = durationMs(iso);
    return this.working.has(which) ? addWorkingTime(start, ms, cal) : start + ms;
  }

  /** A not-reached retry in working time, on a working day; undefined when the retry counts calendar time. */
  retry(now: number, iso: string, cal: CalendarPolicy): number | undefined {
    return this.working.has('retry') ? shiftToWorkingDay(this.clock(now, iso, 'retry', cal), cal) : undefined;
  }

  plan(state: ContractState): PlanRules {
    return {
      warrantyLength: this.warrantyLength,
      workingPostRepair: this.working.has('post_repair'),
      completionWithoutStart: this.followsOutOfOrder,
      moved: state.moved,
    };
  }
}
