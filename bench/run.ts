// `npm run bench`: the project beside the bare engine, in one run on one engine; writes bench/RESULTS.md and results.json.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { fork, execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { SignJWT } from 'jose';
import { createModels, DATABASE_POOL_SIZE } from '../db/models';
import { costsOf } from './histories';
import { apiIntakeRate, bareStartRate } from './load';
import { renderResults } from './report';
import { benchPolicy } from './bench-policy';
import { ownSections, RESULTS_FILE } from './results-section';
import { rssMB, startClusterStack, startStack } from '../scripts/lib/throwaway-stack';
import { bareStorm, contractStorm, steadyEscalations } from './storm';
import { warrantyUnderTimeSkipping } from './warranty';
import { runMain } from './bench-cli';

/** small: CI smoke (a minute or two); default: 1k-case storms; full: 10k-case storms and 10k open cases. */
const SCALE = (process.env.BENCH_SCALE ?? 'default') as 'small' | 'default' | 'full';
const SIZES = {
  small: { starts: 200, storm: 100, steadySeconds: 10, leadMs: 30_000, gapMs: 20_000 },
  default: { starts: 1000, storm: 1000, steadySeconds: 60, leadMs: 150_000, gapMs: 60_000 },
  full: { starts: 2000, storm: 10_000, steadySeconds: 120, leadMs: 900_000, gapMs: 240_000 },
}[SCALE];
/** dev: `npm start`'s stack (CLI dev server on SQLite); cluster: `npm run cluster`'s (Temporal server on PostgreSQL, 2 nodes). */
const ENGINE = (process.env.BENCH_ENGINE ?? 'dev') as 'dev' | 'cluster';
const ENGINES = {
  dev: { label: 'Temporal CLI dev server (npm start stack)', results: 'results.json', start: startStack },
  cluster: {
    label: 'Temporal server v1.32 on PostgreSQL, 2 nodes (npm run cluster topology; 2 workers, intake on one of 2 API replicas)',
    results: 'results.cluster.json',
    start: startClusterStack,
  },
};
const CONCURRENCY = 16;
const STEADY_RATE = 10;

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { file, plan } = benchPolicy(SIZES.leadMs, SIZES.gapMs);
  if (!(ENGINE in ENGINES)) throw new Error(`BENCH_ENGINE must be dev or cluster, not ${ENGINE}`);
  log(`scale ${SCALE}, engine ${ENGINE}: starting ${ENGINES[ENGINE].label}`);
  const stack = await ENGINES[ENGINE].start(file);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const db = await mongoose.createConnection(stack.mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
  const models = createModels(db);
  const bareQueue = `bench-bare-${Date.now()}`;
  const bareWorker = fork(path.join(__dirname, 'bare-worker.ts'), [stack.temporalAddress, stack.mongoUri, bareQueue], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  await new Promise((resolve) => bareWorker.once('message', resolve));
  const token = await new SignJWT({ name: 'Bench', roles: ['assistant', 'supervisor', 'branch'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(stack.secret));
  try {
    const rssIdle = rssMB(stack.workerPid());
    log(`bare engine: ${SIZES.starts} starts at concurrency ${CONCURRENCY}`);
    const bare = await bareStartRate(client, `bench-nobody-${Date.now()}`, SIZES.starts, CONCURRENCY);
    log(`API intake: ${SIZES.starts} POST /v1/complaints at concurrency ${CONCURRENCY}`);
    const intake = await apiIntakeRate(stack.api, token, SIZES.starts, CONCURRENCY);
    const halfRate = Math.max(1, Math.floor(bare.perSecond / 2));
    log(`API latency at half the bare start rate (${halfRate}/s)`);
    const atHalf = await apiIntakeRate(stack.api, token, Math.max(50, halfRate * 10), CONCURRENCY, halfRate);
    log(`storm: ${SIZES.storm} bare timer+activity workflows due in the same instant`);
    const bareDrain = await bareStorm(client, db, bareQueue, SIZES.storm, SIZES.leadMs);
    log(`storm: ${SIZES.storm} contracts signed at one instant (first call, then overdue escalation, in the same second)`);
    const ladderDrain = await contractStorm(stack.api, token, models, SIZES.storm, plan);
    log(`steady: escalations at ${STEADY_RATE}/s for ${SIZES.steadySeconds} s`);
    const steady = await steadyEscalations(stack.api, token, models, STEADY_RATE, SIZES.steadySeconds, plan);
    const openCases = (await db.collection('complaints').countDocuments()) + (await db.collection('projects').countDocuments());
    const rssOpen = rssMB(stack.workerPid());
    log('history cost per step');
    const contractIds = (
      await db
        .collection('projects')
        .find({}, { projection: { workflowId: 1 } })
        .limit(20)
        .toArray()
    ).map((d) => d.workflowId as string);
    const callbackCost = await costsOf(client, contractIds);
    log('5-year warranty and a whole complaint ladder under time skipping');
    const skipping = await warrantyUnderTimeSkipping(stack.mongoUri);
    const results = {
      date: new Date().toISOString(),
      commit: execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(),
      scale: SCALE,
      engine: ENGINES[ENGINE].label,
      engineKey: ENGINE,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      startRate: {
        concurrency: CONCURRENCY,
        bare,
        api: intake,
        ratio: Math.round((intake.perSecond / bare.perSecond) * 100) / 100,
        apiAtHalfRate: { rate: halfRate, ...atHalf },
      },
      storm: { bare: bareDrain, contracts: ladderDrain, drainRatio: Math.round((ladderDrain.drainSeconds / (bareDrain.drainSeconds || 1)) * 100) / 100 },
      steady: { perSecond: STEADY_RATE, openCases, ...steady },
      stepCost: { callback: callbackCost, complaintLadder: skipping.ladderCost },
      workerRssMB: { idle: rssIdle, withOpenCases: rssOpen, openCases },
      warranty: skipping.warranty,
    };
    writeFileSync(path.join(__dirname, ENGINES[ENGINE].results), `${JSON.stringify(results, null, 2)}\n`);
    // RESULTS.md shows each engine's last run; the sections of the other bench commands are kept.
    const runs = Object.values(ENGINES)
      .map((e) => path.join(__dirname, e.results))
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')));
    writeFileSync(RESULTS_FILE, `${renderResults(runs).trimEnd()}\n${ownSections()}`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    bareWorker.kill('SIGINT');
    await db.close();
    await connection.close();
    await stack.stop();
  }
}

runMain(main);
