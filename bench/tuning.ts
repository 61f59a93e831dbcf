// `npm run bench:tuning`: one deadline storm per worker setting on a fresh stack each, to choose WORKER_TUNING from figures.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { SignJWT } from 'jose';
import { createModels, DATABASE_POOL_SIZE } from '../db/models';
import { rssMB, startStack } from '../scripts/lib/throwaway-stack';
import { benchPolicy } from './bench-policy';
import { writeResultsSection } from './results-section';
import { contractStorm, type Lateness } from './storm';
import { runMain } from './bench-cli';

const CASES = Number(process.env.BENCH_TUNING_CASES ?? 300);
const LEAD_MS = Number(process.env.BENCH_TUNING_LEAD_MS ?? 90_000);
const GAP_MS = 20_000;

/** SDK defaults first, then fewer and more slots; pollers at about half the workflow slots, as the SDK advises. */
const SETTINGS = [
  { name: 'SDK defaults', slots: 40, pollers: 10, activities: 100, local: 100 },
  { name: 'few slots', slots: 8, pollers: 4, activities: 16, local: 16 },
  { name: 'middle', slots: 20, pollers: 10, activities: 50, local: 50 },
  { name: 'many slots', slots: 100, pollers: 50, activities: 200, local: 200 },
].filter((s) => !process.env.BENCH_TUNING_ONLY || process.env.BENCH_TUNING_ONLY.split(',').includes(s.name));

const log = (msg: string) => console.log(`[tuning ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** User plus system CPU seconds a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function runOne(s: (typeof SETTINGS)[number]): Promise<Lateness & { name: string; workerCpuSeconds: number; workerRssMB?: number; load: number }> {
  const { file, plan } = benchPolicy(LEAD_MS, GAP_MS);
  const stack = await startStack(file, {
    WORKER_WORKFLOW_TASK_SLOTS: String(s.slots),
    WORKER_WORKFLOW_POLLERS: String(s.pollers),
    WORKER_ACTIVITY_SLOTS: String(s.activities),
    WORKER_LOCAL_ACTIVITY_SLOTS: String(s.local),
  });
  const db = await mongoose.createConnection(stack.mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
  try {
    const token = await new SignJWT({ name: 'Bench', roles: ['assistant', 'supervisor', 'branch'], branch: 'bench' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bench')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(stack.secret));
    const cpu0 = cpuSeconds(stack.workerPid());
    const storm = await contractStorm(stack.api, token, createModels(db), CASES, plan);
    return {
      name: s.name,
      ...storm,
      workerCpuSeconds: Math.round((cpuSeconds(stack.workerPid()) - cpu0) * 10) / 10,
      workerRssMB: rssMB(stack.workerPid()),
      load: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
    };
  } finally {
    await db.close();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const runs = [];
  for (const s of SETTINGS) {
    log(`${s.name}: ${s.slots} workflow-task slots, ${s.pollers} pollers, ${s.activities} activity and ${s.local} local-activity slots; ${CASES} contracts`);
    runs.push({ ...s, ...(await runOne(s)) });
    const r = runs.at(-1)!;
    log(`${s.name}: drain ${r.drainSeconds} s, lateness p50 ${r.latenessMs.p50} ms, p99 ${r.latenessMs.p99} ms, worker ${r.workerCpuSeconds} CPU-s`);
  }
  const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  const date = new Date().toISOString();
  writeFileSync(path.join(__dirname, 'results.tuning.json'), `${JSON.stringify({ date, commit, cases: CASES, runs }, null, 2)}\n`);
  writeResultsSection(
    '## Worker tuning',
    [
      '## Worker tuning',
      '',
      `Command: \`npm run bench:tuning\` (${CASES} contracts signed at one instant per setting, each on a fresh \`npm start\` stack: every first`,
      `call falls due and escalates overdue in the same second). Run ${date} at commit \`${commit}\`, ${os.cpus().length} cores, Node ${process.version}.`,
      'The worker uses the setting `worker/create-worker.ts` names in `WORKER_TUNING`; each can be overridden by its `WORKER_*` variable.',
      '',
      '| setting | workflow-task slots / pollers | activity / local-activity slots | drain s | lateness p50 / p99 ms | worker CPU-s | worker RSS MB | machine load (1 min) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...runs.map(
        (r) =>
          `| ${r.name} | ${r.slots} / ${r.pollers} | ${r.activities} / ${r.local} | ${r.drainSeconds} | ${r.latenessMs.p50} / ${r.latenessMs.p99} | ${r.workerCpuSeconds} | ${r.workerRssMB ?? '?'} | ${r.load} |`,
      ),
      '',
      `Shortest drain: ${[...runs].sort((a, b) => a.drainSeconds - b.drainSeconds)[0]?.name}. One run per setting on a shared machine (load in the last column): read large gaps, not small ones.`,
      'Raw figures: `bench/results.tuning.json`.',
    ].join('\n'),
  );
}

runMain(main);
