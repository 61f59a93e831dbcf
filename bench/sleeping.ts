// `npm run bench:sleeping`: worker RSS as sleeping callback schedules pile up (default policy: each waits days for its call).
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createContractService } from '../api/services/contracts.service';
import { registeredSearchAttributes } from '../api/services/search-attributes.service';
import { loadPolicy } from '../config/policy';
import { createModels, DATABASE_POOL_SIZE } from '../db/models';
import { rssMB, startStack } from '../scripts/lib/throwaway-stack';
import { writeResultsSection } from './results-section';
import { WORKER_CACHED_WORKFLOWS } from '../worker/create-worker';
import { runMain } from './bench-cli';

const CASES = Number(process.env.BENCH_SLEEPING ?? 10_000);
const CONCURRENCY = 32;
const CACHE = Number(process.env.WORKER_CACHED_WORKFLOWS ?? WORKER_CACHED_WORKFLOWS);
const POLICY = path.join(__dirname, '../config/policy.default.json');

const log = (msg: string) => console.log(`[sleeping ${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Row {
  cases: number;
  rssMB?: number;
  seconds: number;
}

/** Writes the figures so far: a long run stopped early still leaves its checkpoints. */
function writeFigures(rows: Row[], failed: number): void {
  const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  const date = new Date().toISOString();
  writeFileSync(path.join(__dirname, 'results.sleeping.json'), `${JSON.stringify({ date, commit, cache: CACHE, failed, rows }, null, 2)}\n`);
  const last = rows.at(-1)!;
  writeResultsSection(
    '## Sleeping cases',
    [
      '## Sleeping cases',
      '',
      `Command: \`${process.env.WORKER_CACHED_WORKFLOWS ? `WORKER_CACHED_WORKFLOWS=${CACHE} ` : ''}BENCH_SLEEPING=${CASES} npm run bench:sleeping\` (callback schedules registered through the API's service, no HTTP, ${CONCURRENCY} at once,`,
      `on the \`npm start\` stack; each then sleeps days until its first call). Run ${date} at commit \`${commit}\`, ${os.cpus().length} cores, Node ${process.version};`,
      `worker cache ${CACHE} workflows (\`WORKER_CACHED_WORKFLOWS\`); ${failed} registrations failed.`,
      '',
      '| sleeping schedules | worker RSS MB | elapsed s |',
      '| --- | --- | --- |',
      ...rows.map((r) => `| ${r.cases} | ${r.rssMB ?? '?'} | ${r.seconds} |`),
      '',
      `Target: worker RSS < 500 MB with 100k sleeping cases: ${last.cases >= 100_000 ? ((last.rssMB ?? Infinity) < 500 ? 'met' : '**not met**') : `measured up to ${last.cases}, not at 100k`}.`,
      'Raw figures: `bench/results.sleeping.json`.',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  log(`starting the npm start stack (worker cache ${CACHE} workflows)`);
  const stack = await startStack(POLICY, { WORKER_CACHED_WORKFLOWS: String(CACHE) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const db = await mongoose.createConnection(stack.mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
  const indexed = await registeredSearchAttributes(connection, 'default');
  // The API's own registration path without HTTP in front: the schedule starts and records its registration.
  const contracts = createContractService({
    client: new Client({ connection }),
    models: createModels(db),
    policy: loadPolicy(POLICY),
    taskQueue: 'service-cases',
    indexedAttributes: async () => indexed,
  });
  const user = { sub: 'bench', name: 'Bench', roles: ['assistant' as const], branch: 'bench' };
  const points = [0, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000].filter((n) => n <= CASES);
  if (!points.includes(CASES)) points.push(CASES);
  const rows: Row[] = [];
  const t0 = Date.now();
  const signedAt = new Date().toISOString();
  const planned = new Date(Date.now() + 200 * 86_400_000).toISOString();
  let next = 0;
  let failed = 0;
  try {
    for (const target of points) {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < target) {
            const i = next++;
            await contracts
              .register(
                {
                  contractNo: `SL-${t0.toString(36)}-${i}`,
                  branch: 'bench',
                  customer: { name: 'Bench Customer', phone: '13900000000' },
                  contractSignedAt: signedAt,
                  plannedCompletionAt: planned,
                },
                user,
              )
              .catch(() => failed++);
          }
        }),
      );
      // Let the worker settle (GC, cache eviction) before reading its memory.
      await new Promise((r) => setTimeout(r, 10_000));
      rows.push({ cases: target, rssMB: rssMB(stack.workerPid()), seconds: Math.round((Date.now() - t0) / 1000) });
      log(`${target} sleeping schedules: worker RSS ${rows.at(-1)!.rssMB} MB (${failed} failed registrations)`);
      writeFigures(rows, failed);
    }
  } finally {
    await db.close();
    await connection.close();
    await stack.stop();
  }
}

runMain(main);
