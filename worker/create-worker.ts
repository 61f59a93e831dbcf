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
  overrides?: Partial<WorkerOptions>;
}

export function workflowsPath(): string {
  return path.join(__dirname, '../workflows/index.ts');
}

/** The one worker of the project: every workflow type and the activity factory wired over the given models. */
export async function createWorker({ connection, namespace, taskQueue, models, webhook, policy, workflowBundlePath, overrides }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: workflowsPath() }),
    activities: createActivities({ models, webhook, policy }),
    ...overrides,
  });
}
