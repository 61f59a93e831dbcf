// Benchmark: complaint intake through the real API, worker memory with many open cases, and a simulated 5-year schedule.
// Reproduce with `npm run bench`; numbers go to bench/results.json and bench/RESULTS.md.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../api/app';
import { registeredSearchAttributes } from '../api/services/search-attributes.service';
import { loadPolicy } from '../config/policy';
import { connectDatabase, createModels } from '../db/models';
import { createWorker, workflowsPath } from '../worker/create-worker';
import { milestoneUpdate, contractStateQuery, outcomeUpdate } from '../workflows/contract.messages';
import { SA } from '../workflows/search-attributes';
import { startFerretDb } from '../test/support/ferretdb';
import { createContractService } from '../api/services/contracts.service';
import { contractWorkflowId } from '../workflows/contract.messages';
import { BENCH_SECRET, benchToken, listen } from './bench-http';
import { TOOLS } from '../test/support/tools';

const INTAKES = Number(process.env.BENCH_INTAKES ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const policy = loadPolicy();
  const [ferret, dev, bundle] = await Promise.all([
    startFerretDb(),
    TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: TOOLS.temporal }, searchAttributes: Object.values(SA), log: { format: 'pretty', level: 'error' } },
    }),
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('ERROR') }),
  ]);
  const bundlePath = path.join(os.tmpdir(), `bench-bundle-${randomUUID()}.js`);
  writeFileSync(bundlePath, bundle.code);
  const conn = await connectDatabase(ferret.uri('bench'));
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await createWorker({ connection: dev.nativeConnection, namespace: 'default', taskQueue, models, policy, workflowBundlePath: bundlePath });
  const running = worker.run();
  const { app } = createApp({
    client: dev.client,
    models,
    policy,
    taskQueue,
    jwtSecret: BENCH_SECRET,
    bodyLimit: '100kb',
    logger: pino({ level: 'silent' }),
    indexedAttributes: () => registeredSearchAttributes(dev.connection, 'default'),
    readiness: async () => ({ temporal: true, database: true }),
  });
  const api = await listen(app);
  const bearer = await benchToken(['assistant']);

  // 1. Intake: every POST starts a workflow and waits (update-with-start) until intake is persisted.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < INTAKES) {
        const i = next++;
        const t0 = performance.now();
        const res = await api.call('POST', '/v1/complaints', {
          token: bearer,
          headers: { 'idempotency-key': `bench-${taskQueue}-${i}` },
          body: {
            kind: 'customer',
            source: 'phone',
            branch: `b${i % 5}`,
            complainant: { name: 'Bench Customer', phone: `139${String(10_000_000 + i)}` },
            category: 'quality',
            description: 'benchmark case',
            severity: 'general',
            priority: 'medium',
          },
        });
        if (res.status !== 201) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rssAfter = process.memoryUsage().rss;

  // 2. A 5-year warranty simulated on the time-skipping server: wall time and history per run.
  const ts = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TOOLS.testServer } } });
  const tsQueue = `bench-ts-${randomUUID()}`;
  const tsWorker = await createWorker({
    connection: ts.nativeConnection,
    namespace: 'default',
    taskQueue: tsQueue,
    models,
    policy,
    workflowBundlePath: bundlePath,
  });
  const schedule = await tsWorker.runUntil(async () => {
    const now = await ts.currentTimeMs();
    // Registered through the real service, as POST /v1/contracts does.
    const contracts = createContractService({ client: ts.client, models, policy, taskQueue: tsQueue, indexedAttributes: async () => [] });
    const contractNo = `BENCH-${randomUUID().slice(0, 8)}`;
    const body = {
      contractNo,
      branch: 'north',
      customer: { name: 'Bench Customer', phone: '13900000000' },
      contractSignedAt: new Date(now - 200 * DAY).toISOString(),
      plannedCompletionAt: new Date(now - 100 * DAY).toISOString(),
      warrantyMonths: 60,
    };
    await contracts.register(body, { sub: 'bench', name: 'Bench', roles: ['assistant'] } as Parameters<typeof contracts.register>[1]);
    const h = ts.client.workflow.getHandle(contractWorkflowId(contractNo));
    const actor = { sub: 'bench', roles: ['branch' as const] };
    await h.executeUpdate(milestoneUpdate, { args: [{ actor, type: 'work_started', at: new Date(now - 190 * DAY).toISOString() }] });
    await h.executeUpdate(milestoneUpdate, { args: [{ actor, type: 'completed', at: new Date(now - 100 * DAY).toISOString() }] });
    const t0 = performance.now();
    const runs = new Set<string>();
    let maxHistory = 0;
    for (let year = 0; year < 5; year++) {
      await ts.sleep(365 * DAY);
      const d = await h.describe();
      runs.add(d.runId);
      maxHistory = Math.max(maxHistory, d.historyLength);
      for (const c of (await h.query(contractStateQuery)).open) {
        await h.executeUpdate(outcomeUpdate, { args: [{ actor: { sub: 'bench', roles: ['assistant'] }, callbackId: c.id, result: 'satisfied' }] });
      }
    }
    return { wallSeconds: (performance.now() - t0) / 1000, runs: runs.size, maxHistoryEvents: maxHistory };
  });

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    intake: {
      requests: INTAKES,
      concurrency: CONCURRENCY,
      failures,
      throughputPerSecond: Math.round((INTAKES / seconds) * 10) / 10,
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(latencies.at(-1)!),
      },
      processRssMB: { before: mb(rssBefore), afterOpenCases: mb(rssAfter), perOpenCaseKB: Math.round(((rssAfter - rssBefore) / INTAKES / 1024) * 10) / 10 },
    },
    fiveYearWarranty: schedule,
  };
  const dir = path.join(__dirname);
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    path.join(dir, 'RESULTS.md'),
    [
      '# Benchmark results',
      '',
      `Reproduce: \`npm run bench\` (env BENCH_INTAKES, BENCH_CONCURRENCY). Run ${results.date} on ${results.machine.cpus} cores, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.`,
      'API, worker, Temporal dev server (SQLite) and FerretDB (SQLite) all share this machine.',
      '',
      '| measure | value |',
      '| --- | --- |',
      `| complaint intakes (POST /v1/complaints, each starts a workflow and waits for intake) | ${INTAKES} at concurrency ${CONCURRENCY}, ${failures} failed |`,
      `| throughput | ${results.intake.throughputPerSecond} intakes/s |`,
      `| latency p50 / p95 / p99 / max | ${results.intake.latencyMs.p50} / ${results.intake.latencyMs.p95} / ${results.intake.latencyMs.p99} / ${results.intake.latencyMs.max} ms |`,
      `| API + worker process RSS before → with ${INTAKES} open cases | ${results.intake.processRssMB.before} → ${results.intake.processRssMB.afterOpenCases} MB (${results.intake.processRssMB.perOpenCaseKB} KB per open case) |`,
      `| 5-year warranty (60 monthly calls) simulated under time skipping | ${schedule.wallSeconds.toFixed(1)} s wall, ${schedule.runs} runs seen, largest run history ${schedule.maxHistoryEvents} events |`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(results, null, 2));

  await api.close();
  worker.shutdown();
  await running;
  await ts.teardown();
  await dev.teardown();
  await conn.close();
  await ferret.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
