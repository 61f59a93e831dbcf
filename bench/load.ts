// Start rate of the bare engine against the API's intake rate, at the same concurrency, through a real HTTP load generator.
import autocannon from 'autocannon';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';

export interface Rate {
  requests: number;
  failed: number;
  /** Of the failed: no answer in time, a connection error, an answer that was not 2xx. */
  failures?: { timeouts: number; errors: number; non2xx: number };
  perSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `client.workflow.start` of a no-op type nobody runs, `concurrency` callers at once. */
export async function bareStartRate(client: Client, taskQueue: string, total: number, concurrency: number): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const s = performance.now();
        await client.workflow
          .start('BareNoop', { taskQueue, workflowId: `bare-${randomUUID()}`, workflowIdReusePolicy: 'REJECT_DUPLICATE' })
          .catch(() => failed++);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    failed,
    perSecond: round(total / seconds),
    latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1)!) },
  };
}

export function complaintBody(i: number): string {
  return JSON.stringify({
    kind: 'customer',
    source: 'phone',
    branch: `b${i % 5}`,
    complainant: { name: 'Bench Customer', phone: `139${String(10_000_000 + i)}` },
    category: 'quality',
    description: 'benchmark case',
    severity: 'general',
    priority: 'medium',
  });
}

/** POST /v1/complaints through autocannon; `rate` caps requests per second (undefined: as fast as it goes). */
export async function apiIntakeRate(api: string, token: string, total: number, concurrency: number, rate?: number): Promise<Rate> {
  let i = 0;
  const run = autocannon({
    url: `${api}/v1/complaints`,
    connections: concurrency,
    amount: total,
    overallRate: rate,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${randomUUID()}-${n}` },
            body: complaintBody(n),
          };
        },
      },
    ],
  });
  const result = await run;
  const ok = result['2xx'];
  return {
    requests: result.requests.sent,
    failed: result.requests.sent - ok,
    failures: { timeouts: result.timeouts, errors: result.errors, non2xx: result.non2xx },
    perSecond: round(ok / (result.duration || 1)),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}
