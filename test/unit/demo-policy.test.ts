import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../config/policy';
import { durationMs } from '../../domain/duration';

describe('the demo policy in seconds', () => {
  it('is a valid policy whose whole complaint ladder fits in well under a minute', () => {
    const p = loadPolicy('config/policy.demo-seconds.json');
    expect(p.version).toBe('2026.4-demo-seconds');
    const c = p.complaint;
    const ladder = durationMs(c.firstCallback) + durationMs(c.branchFeedback) + c.rounds.length * durationMs(c.priorityDeadlines.medium);
    expect(ladder).toBe(47_000);
    expect(p.calendar.shiftToWorkingDay).toBe(false);
  });
});
