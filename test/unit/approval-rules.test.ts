// The pure rules of approval steps: when a request reminds and escalates, whom it still waits for, what it holds.
import { describe, expect, it } from 'vitest';
import { approvalTimes, heldByPending, nextApprovalTime, unsignedRoles, type PendingApproval } from '../../domain/approval.rules';
import { POLICY } from '../support/fixtures';

const HOUR = 3_600_000;
const at = Date.parse('2026-06-01T08:00:00Z');
const timed = (patch: Partial<PendingApproval> = {}): PendingApproval => {
  const t = approvalTimes(at, POLICY.approvals!);
  return {
    decision: 'refund_deposit_measured',
    by: 'a',
    at: new Date(at).toISOString(),
    remindAt: new Date(t.remindAt).toISOString(),
    escalateAt: new Date(t.escalateAt).toISOString(),
    ...patch,
  };
};

describe('approval steps', () => {
  it('reminds, then escalates, then stays quiet', () => {
    expect(nextApprovalTime(timed())).toEqual({ at: at + 24 * HOUR, what: 'remind' });
    expect(nextApprovalTime(timed({ reminded: true }))).toEqual({ at: at + 48 * HOUR, what: 'escalate' });
    expect(nextApprovalTime(timed({ reminded: true, escalated: true }))).toBeUndefined();
    // A reminder not before the escalation is skipped; a request from before the timers has none.
    expect(nextApprovalTime(timed({ remindAt: new Date(at + 48 * HOUR).toISOString() }))?.what).toBe('escalate');
    expect(nextApprovalTime({ decision: 'cancel_order', by: 'a', at: new Date(at).toISOString() })).toBeUndefined();
  });

  it('waits for the groups that have not signed', () => {
    expect(unsignedRoles('environmental_dispute', [], POLICY.authority)).toEqual(['legal', 'director']);
    const legal = [{ decision: 'environmental_dispute' as const, approved: true, role: 'legal' as const }];
    expect(unsignedRoles('environmental_dispute', legal, POLICY.authority)).toEqual(['director']);
    const refused = [{ decision: 'environmental_dispute' as const, approved: false, role: 'legal' as const }];
    expect(unsignedRoles('environmental_dispute', refused, POLICY.authority)).toEqual(['legal', 'director']);
    // The old executive role signs for the regional president and the VP.
    expect(
      unsignedRoles('refund_deposit_unmeasured', [{ decision: 'refund_deposit_unmeasured', approved: true, role: 'executive' }], POLICY.authority),
    ).toEqual([]);
  });

  it('an undecided timed request holds closing and remedies but a repair; an untimed one holds nothing', () => {
    expect(heldByPending('close', [timed()])?.decision).toBe('refund_deposit_measured');
    expect(heldByPending('compensation', [timed()], 'allowance')).toBeDefined();
    expect(heldByPending('compensation', [timed()], 'repair')).toBeUndefined();
    expect(heldByPending('close', [{ decision: 'cancel_order', by: 'a', at: new Date(at).toISOString() }])).toBeUndefined();
    expect(heldByPending('close', [])).toBeUndefined();
  });
});
