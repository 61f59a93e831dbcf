// A cancellation request left undecided when the schedule ends must not wait on the VP's worklist for ever.
import { describe, expect, it } from 'vitest';
import { waitingRequest } from '../../domain/cancellation.rules';

const request = { decision: 'cancel_order', reasonCode: 'other', by: 'a-1', at: '2027-01-04T09:00:00.000Z', roles: ['vp'] };

describe('a waiting cancellation request', () => {
  it('keeps waiting while the schedule runs', () => {
    for (const phase of ['signed', 'construction', 'completed', 'warranty']) expect(waitingRequest(phase, request)).toBe(request);
  });

  it('waits on nobody once the schedule closed or was cancelled', () => {
    expect(waitingRequest('closed', request)).toBeNull();
    expect(waitingRequest('cancelled', request)).toBeNull();
  });

  it('leaves a schedule that never had a request without one, and a decided one decided', () => {
    expect(waitingRequest('closed', undefined)).toBeUndefined();
    expect(waitingRequest('warranty', null)).toBeNull();
  });
});
