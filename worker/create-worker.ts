import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import { createActivities, type WebhookConfig } from '../activities/create-activities';
import type { Models } from '../db/models';
import type { Policy } from '../schemas/policy.schema';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  models: Models;
  webhook?: WebhookConfig;
  policy?: Policy;
  /** A prebuilt bundle (tests build it once); otherwise the workflows folder is bundled at start. */
  workflowBundlePath?: string;
  /** Workflows kept in memory between tasks; the rest replay from history when they wake. */
  maxCachedWorkflows?: number;
  /** Task slots and pollers; each unset one keeps WORKER_TUNING's value. */
  tuning?: Partial<WorkerTuning>;
  overrides?: Partial<WorkerOptions>;
}

/**
 * Cases kept in memory between tasks: 0.5-0.7 MB each over a 277 MB idle worker, flat in the number of sleeping cases
 * (bench/RESULTS.md, "Sleeping cases": 1,000 cached held ~790 MB, 300 holds 480-530 MB); an evicted case replays its
 * short (continue-as-new-bounded) history when it wakes.
 */
export const WORKER_CACHED_WORKFLOWS = 300;

export interface WorkerTuning {
  workflowTaskSlots: number;
  workflowPollers: number;
  activitySlots: number;
  localActivitySlots: number;
}

/**
 * Chosen from `npm run bench:tuning` (bench/RESULTS.md, "Worker tuning"): on the measured 2-core machine the engine and
 * FerretDB are the bottleneck, not the worker, so more slots than this only queue more writes on the database.
 */
export const WORKER_TUNING: WorkerTuning = { workflowTaskSlots: 40, workflowPollers: 10, activitySlots: 100, localActivitySlots: 100 };

export function workflowsPath(): string {
  return path.join(__dirname, '../workflows/index.ts');
}

/** The one worker of the project: every workflow type and the activity factory wired over the given models. */
export async function createWorker({
  connection,
  namespace,
  taskQueue,
  models,
  webhook,
  policy,
  workflowBundlePath,
  maxCachedWorkflows = WORKER_CACHED_WORKFLOWS,
  tuning,
  overrides,
}: WorkerDeps): Promise<Worker> {
  const t = Object.fromEntries(Object.entries(WORKER_TUNING).map(([k, v]) => [k, tuning?.[k as keyof WorkerTuning] ?? v])) as unknown as WorkerTuning;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: workflowsPath() }),
    activities: createActivities({ models, webhook, policy }),
    // Bounded, not the SDK's heap-sized default (~2,300 on a 4 GiB heap): cases sleep for days, and an evicted case
    // costs one replay of its short (continue-as-new-bounded) history when it wakes; RSS then stays flat (bench).
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: t.workflowTaskSlots,
    maxConcurrentWorkflowTaskPolls: Math.min(t.workflowPollers, t.workflowTaskSlots),
    maxConcurrentActivityTaskExecutions: t.activitySlots,
    maxConcurrentLocalActivityExecutions: t.localActivitySlots,
    ...overrides,
  });
}
