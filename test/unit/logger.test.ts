// A failed request logs its cause chain, even when the error holds circular references as Temporal's do.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS, serializeError } from '../../config/logger';

describe('error logging', () => {
  it('prints the cause chain of an error with a circular reference', () => {
    const cause = Object.assign(new Error('limit on number of concurrent in-flight updates (10)'), { code: 8 });
    const err = new Error('workflow update failed', { cause }) as Error & { handle?: unknown };
    const handle: Record<string, unknown> = { err };
    handle.self = handle;
    err.handle = handle;
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    pino({ redact: { paths: REDACT_PATHS }, serializers: { err: serializeError } }, sink).error({ err }, 'request failed');
    const logged = JSON.parse(lines[0]!);
    expect(logged.err.message).toBe('workflow update failed');
    expect(logged.err.cause).toMatchObject({ message: 'limit on number of concurrent in-flight updates (10)', code: 8 });
    expect(logged.err.handle).toBeUndefined();
    expect(lines[0]).not.toContain('unable to serialize');
  });

  it('stops a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    let depth = 0;
    for (let e = serializeError(a); e?.cause; e = e.cause) depth++;
    expect(depth).toBe(5);
  });
});
