// Which case-file entries feed the KPIs, and which do not.
import { describe, expect, it } from 'vitest';
import { kpiFlags } from '../../activities/kpi-flags';

const entry = (type: string, data: Record<string, unknown> = {}) => ({ type, at: '2026-11-02T02:00:00.000Z', by: 'u1', data });

describe('KPI flags from case-file entries', () => {
  it('takes validity from triage only', () => {
    expect(kpiFlags(entry('triaged', { valid: true }))).toEqual({ filter: {}, set: { validConfirmed: true } });
    expect(kpiFlags(entry('triaged', { valid: false }))).toEqual({ filter: {}, set: { validConfirmed: false } });
    expect(kpiFlags(entry('opened', { valid: true }))).toBeUndefined();
  });

  it('dates a repair from the feedback that says it is done, and marks a reopen', () => {
    expect(kpiFlags(entry('feedback', { repairCompletedAt: '2026-11-01T00:00:00.000Z' }))?.set).toEqual({
      repairCompletedAt: new Date('2026-11-01T00:00:00.000Z'),
    });
    expect(kpiFlags(entry('feedback', { cause: 'x' }))).toBeUndefined();
    expect(kpiFlags(entry('reopened'))?.set).toEqual({ reopened: true });
  });

  it('answers an external complaint by its first decision or its missed deadline, whichever comes first', () => {
    const first = { externalAnsweredOnTime: { $exists: false } };
    expect(kpiFlags(entry('approval', { decision: 'regulator_media_case', approved: true }))).toEqual({ filter: first, set: { externalAnsweredOnTime: true } });
    expect(kpiFlags(entry('escalated', { reason: 'external_source_deadline', to: 'legal' }))).toEqual({
      filter: first,
      set: { externalAnsweredOnTime: false },
    });
    expect(kpiFlags(entry('approval', { decision: 'cancel_order' }))).toBeUndefined();
    expect(kpiFlags(entry('escalated', { reason: 'deadline_missed' }))).toBeUndefined();
  });
});
