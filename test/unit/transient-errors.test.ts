// Faults the backing services report are retryable answers with Retry-After, never 500 (found by the fault suite).
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../api/errors';

/** An SDK-like error: a wrapper whose cause is the gRPC error, as the Temporal client throws them. */
function wrapped(message: string, code: number): Error {
  const grpc = Object.assign(new Error(`${code} ${message}`), { code, details: message });
  return Object.assign(new Error('Update-with-Start could not be executed.'), { cause: grpc });
}

describe('toAppError on transient faults', () => {
  it('a case whose workflow task failed (worker killed mid-task) answers 503 with Retry-After', () => {
    const e = toAppError(wrapped('Unable to perform workflow execution update due to Workflow Task in failed state.', 9));
    expect([e.code, e.status, e.retryAfter]).toEqual(['UNAVAILABLE', 503, 2]);
  });

  it('Temporal refusing more updates answers 429, Temporal unreachable 503', () => {
    expect(toAppError(wrapped('limit on number of concurrent in-flight updates (10)', 8)).status).toBe(429);
    expect(toAppError(wrapped('No connection established', 14)).status).toBe(503);
  });

  it('any other failed precondition is still an internal error, not hidden as retryable', () => {
    expect(toAppError(wrapped('something else entirely', 9)).status).toBe(500);
  });
});
