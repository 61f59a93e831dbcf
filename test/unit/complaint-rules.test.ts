// Complaint rules of DOMAIN.md section 2 as pure functions, against an in-memory policy with distinct numbers.
import { describe, it, expect } from 'vitest';
import {
  effectiveSeverity,
  initialLevel,
  isExternalSource,
  lastRound,
  missedStepRecipients,
  priorityDeadlineMs,
  remedyConflict,
  requiresNamedComplainant,
  roundLevel,
  routeFor,
  stepDeadlineMs,
  warningTimes,
  type ComplaintSource,
  type RecordedRemedy,
} from '../../domain/complaint.rules';
import { LEVELS, type Level } from '../../domain/roles';
import type { ComplaintPolicy } from '../../schemas/policy.schema';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Every step has a different length so a step wired to the wrong field is caught.
const policy: ComplaintPolicy = {
  firstCallback: 'PT3M',
  repairAnswer: 'PT6H',
  triage: 'PT2H',
  branchFeedback: 'PT24H',
  externalToLegal: 'PT12H',
  priorityDeadlines: { high: 'PT24H', medium: 'PT48H', low: 'PT72H' },
  defaultSeverity: 'general',
  defaultPriority: 'medium',
  warningFractions: [0.5, 0.75],
  severityLevel: { general: 'assistant', serious: 'supervisor', major: 'director' },
  rounds: [
    { round: 1, level: 'assistant' },
    { round: 2, level: 'assistant' },
    { round: 3, level: 'supervisor' },
    { round: 4, level: 'director' },
  ],
  repeatWindow: 'P90D',
  reopenWindow: 'P30D',
  surveyAfterClose: 'P7D',
  postRepairCallback: 'P3D',
  validComplaintAllowance: 50,
  currency: 'CNY',
};

describe('external sources and severity', () => {
  it('treats regulator, consumer association and media as external', () => {
    expect(isExternalSource('regulator')).toBe(true);
    expect(isExternalSource('consumer_association')).toBe(true);
    expect(isExternalSource('media')).toBe(true);
    for (const s of ['phone', 'walk_in', 'letter', 'email', 'callback'] as const) expect(isExternalSource(s), s).toBe(false);
  });

  it.each<ComplaintSource>(['regulator', 'consumer_association', 'media'])('%s is major whatever severity was given', (source) => {
    expect(effectiveSeverity(source, 'general', policy)).toBe('major');
    expect(effectiveSeverity(source, 'serious', policy)).toBe('major');
    expect(effectiveSeverity(source, undefined, policy)).toBe('major');
  });

  it('keeps the given severity for ordinary sources', () => {
    expect(effectiveSeverity('phone', 'serious', policy)).toBe('serious');
    expect(effectiveSeverity('letter', 'general', policy)).toBe('general');
    expect(effectiveSeverity('walk_in', 'major', policy)).toBe('major');
  });

  it("falls back to the policy's default severity", () => {
    expect(effectiveSeverity('phone', undefined, policy)).toBe('general');
    expect(effectiveSeverity('email', undefined, { ...policy, defaultSeverity: 'serious' })).toBe('serious');
  });
});

describe('initialLevel', () => {
  it('takes the level the policy gives each severity', () => {
    expect(initialLevel('general', false, policy)).toBe('assistant');
    expect(initialLevel('serious', false, policy)).toBe('supervisor');
    expect(initialLevel('major', false, policy)).toBe('director');
  });

  it('raises a repeat complainant: general to the supervisor, serious and major to the director', () => {
    expect(initialLevel('general', true, policy)).toBe('supervisor');
    expect(initialLevel('serious', true, policy)).toBe('director');
    expect(initialLevel('major', true, policy)).toBe('director');
  });

  it('never lowers a level the policy already set higher', () => {
    const high = { ...policy, severityLevel: { general: 'director', serious: 'director', major: 'legal' } } satisfies ComplaintPolicy;
    expect(initialLevel('general', true, high)).toBe('director');
    expect(initialLevel('major', true, high)).toBe('legal');
  });
});

describe('roundLevel', () => {
  it('follows the ladder from the assistant', () => {
    expect(roundLevel(1, 'assistant', policy)).toBe('assistant');
    expect(roundLevel(2, 'assistant', policy)).toBe('assistant');
    expect(roundLevel(3, 'assistant', policy)).toBe('supervisor');
    expect(roundLevel(4, 'supervisor', policy)).toBe('director');
  });

  it('never lowers the current level', () => {
    expect(roundLevel(1, 'director', policy)).toBe('director');
    expect(roundLevel(3, 'director', policy)).toBe('director');
    expect(roundLevel(2, 'supervisor', policy)).toBe('supervisor');
    expect(roundLevel(1, 'legal', policy)).toBe('legal');
  });

  it('returns legal past the last round', () => {
    expect(lastRound(policy)).toBe(4);
    expect(roundLevel(5, 'assistant', policy)).toBe('legal');
    expect(roundLevel(6, 'director', policy)).toBe('legal');
  });

  it('reads the ladder from the policy, not constants', () => {
    const short = { ...policy, rounds: [{ round: 1, level: 'supervisor' as Level }] };
    expect(lastRound(short)).toBe(1);
    expect(roundLevel(1, 'assistant', short)).toBe('supervisor');
    expect(roundLevel(2, 'assistant', short)).toBe('legal');
  });

  it('never returns a level below the current one for any round', () => {
    for (const current of LEVELS) {
      for (let round = 1; round <= 6; round++) {
        expect(LEVELS.indexOf(roundLevel(round, current, policy)), `${current} round ${round}`).toBeGreaterThanOrEqual(LEVELS.indexOf(current));
      }
    }
  });
});

describe('deadlines', () => {
  it('priority deadlines are 24/48/72 hours', () => {
    expect(priorityDeadlineMs('high', policy)).toBe(24 * HOUR);
    expect(priorityDeadlineMs('medium', policy)).toBe(48 * HOUR);
    expect(priorityDeadlineMs('low', policy)).toBe(72 * HOUR);
  });

  it('first callback: 3 minutes for complaints, the repair answer time for repair requests', () => {
    expect(stepDeadlineMs('first_callback', 'customer', 'medium', policy)).toBe(3 * MINUTE);
    expect(stepDeadlineMs('first_callback', 'staff', 'high', policy)).toBe(3 * MINUTE);
    expect(stepDeadlineMs('first_callback', 'crew', 'low', policy)).toBe(3 * MINUTE);
    expect(stepDeadlineMs('first_callback', 'repair', 'medium', policy)).toBe(6 * HOUR);
  });

  it('triage, branch feedback and legal handoff use their own policy entries', () => {
    expect(stepDeadlineMs('triage', 'customer', 'high', policy)).toBe(2 * HOUR);
    expect(stepDeadlineMs('branch_feedback', 'customer', 'high', policy)).toBe(24 * HOUR);
    expect(stepDeadlineMs('legal_handoff', 'customer', 'low', policy)).toBe(12 * HOUR);
  });

  it('a follow-up round lasts the priority deadline', () => {
    expect(stepDeadlineMs('follow_up', 'customer', 'high', policy)).toBe(24 * HOUR);
    expect(stepDeadlineMs('follow_up', 'repair', 'medium', policy)).toBe(48 * HOUR);
    expect(stepDeadlineMs('follow_up', 'crew', 'low', policy)).toBe(72 * HOUR);
  });

  it('untimed steps have no deadline', () => {
    expect(stepDeadlineMs('resolved', 'customer', 'high', policy)).toBeUndefined();
    expect(stepDeadlineMs('legal', 'customer', 'high', policy)).toBeUndefined();
    expect(stepDeadlineMs('closed', 'customer', 'high', policy)).toBeUndefined();
  });

  it('follows a shortened (seconds) policy', () => {
    const demo = { ...policy, firstCallback: 'PT5S', priorityDeadlines: { high: 'PT10S', medium: 'PT20S', low: 'PT30S' } };
    expect(stepDeadlineMs('first_callback', 'customer', 'high', demo)).toBe(5000);
    expect(stepDeadlineMs('follow_up', 'customer', 'low', demo)).toBe(30_000);
  });
});

describe('warningTimes', () => {
  it('places warnings at fractions of the span, earliest first', () => {
    expect(warningTimes(1000, 2000, [0.75, 0.5])).toEqual([1500, 1750]);
    expect(warningTimes(0, 24 * HOUR, [0.5, 0.75])).toEqual([12 * HOUR, 18 * HOUR]);
  });

  it('offsets from the start, not from zero', () => {
    const start = Date.UTC(2026, 0, 5, 8);
    expect(warningTimes(start, start + 4 * HOUR, [0.25])).toEqual([start + HOUR]);
  });

  it('rounds to whole milliseconds', () => {
    expect(warningTimes(0, 10, [1 / 3])).toEqual([3]);
  });

  it('does not reorder the caller’s array and returns none for no fractions', () => {
    const fractions = [0.9, 0.1];
    warningTimes(0, 100, fractions);
    expect(fractions).toEqual([0.9, 0.1]);
    expect(warningTimes(0, 100, [])).toEqual([]);
  });
});

describe('routing', () => {
  it('routes staff to hr, crew to engineering and everything else to the branch', () => {
    expect(routeFor('staff')).toBe('hr');
    expect(routeFor('crew')).toBe('engineering');
    expect(routeFor('customer')).toBe('branch');
    expect(routeFor('repair')).toBe('branch');
  });

  it('requires a named complainant only for staff and crew complaints', () => {
    expect(requiresNamedComplainant('staff')).toBe(true);
    expect(requiresNamedComplainant('crew')).toBe(true);
    expect(requiresNamedComplainant('customer')).toBe(false);
    expect(requiresNamedComplainant('repair')).toBe(false);
  });
});

describe('missedStepRecipients', () => {
  it("tells the owner's superior", () => {
    expect(missedStepRecipients('follow_up', 'assistant', 'branch')).toEqual(['supervisor']);
    expect(missedStepRecipients('first_callback', 'assistant', 'branch')).toEqual(['supervisor']);
    expect(missedStepRecipients('triage', 'supervisor', 'branch')).toEqual(['director']);
  });

  it('a missed branch feedback also goes to whoever the case is routed to', () => {
    expect(missedStepRecipients('branch_feedback', 'assistant', 'branch')).toEqual(['branch', 'supervisor']);
    expect(missedStepRecipients('branch_feedback', 'supervisor', 'hr')).toEqual(['hr', 'director']);
    expect(missedStepRecipients('branch_feedback', 'assistant', 'engineering')).toEqual(['engineering', 'supervisor']);
  });

  it('never leaves a missed assistant or supervisor step with its owner alone', () => {
    for (const level of ['assistant', 'supervisor'] as const) {
      expect(missedStepRecipients('follow_up', level, 'branch')).not.toContain(level);
    }
  });
});

describe('remedyConflict: repair, or compensate, never both', () => {
  const repairTiles: RecordedRemedy = { type: 'repair', defect: 'cracked tiles' };
  const compensateTiles: RecordedRemedy = { type: 'compensation', defect: 'cracked tiles' };

  it('rejects compensation after a repair of the same defect, and names the repair', () => {
    expect(remedyConflict([repairTiles], compensateTiles)).toEqual(repairTiles);
  });

  it('rejects a repair after compensation, a refund or an exchange of the same defect', () => {
    expect(remedyConflict([compensateTiles], repairTiles)).toEqual(compensateTiles);
    expect(remedyConflict([{ type: 'refund', defect: 'cracked tiles' }], repairTiles)).toEqual({ type: 'refund', defect: 'cracked tiles' });
    expect(remedyConflict([{ type: 'exchange', defect: 'cracked tiles' }], repairTiles)).toEqual({ type: 'exchange', defect: 'cracked tiles' });
  });

  it('allows repair and compensation for different defects', () => {
    expect(remedyConflict([repairTiles], { type: 'compensation', defect: 'leaking pipe' })).toBeUndefined();
    expect(remedyConflict([{ type: 'compensation', defect: 'leaking pipe' }], repairTiles)).toBeUndefined();
  });

  it('allows the fixed allowance alongside anything', () => {
    expect(remedyConflict([repairTiles], { type: 'allowance' })).toBeUndefined();
    expect(remedyConflict([repairTiles], { type: 'allowance', defect: 'cracked tiles' })).toBeUndefined();
    expect(remedyConflict([{ type: 'allowance', defect: 'cracked tiles' }], repairTiles)).toBeUndefined();
    expect(remedyConflict([{ type: 'allowance' }], compensateTiles)).toBeUndefined();
  });

  it('does not treat two remedies of the same side as a conflict', () => {
    expect(remedyConflict([repairTiles], { type: 'repair', defect: 'cracked tiles' })).toBeUndefined();
    expect(remedyConflict([{ type: 'refund', defect: 'cracked tiles' }], compensateTiles)).toBeUndefined();
  });

  it('finds the conflict among several recorded remedies', () => {
    const existing: RecordedRemedy[] = [{ type: 'allowance' }, { type: 'repair', defect: 'leaking pipe' }, repairTiles];
    expect(remedyConflict(existing, compensateTiles)).toBe(repairTiles);
    expect(remedyConflict([], compensateTiles)).toBeUndefined();
  });
});
