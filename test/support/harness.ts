// Per-file helpers: a fresh database on the shared FerretDB, workers over the prebuilt bundle, time-skipping servers.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { connectDatabase, createModels, type Models } from '../../db/models';
import { createWorker } from '../../worker/create-worker';
import type { WebhookConfig } from '../../activities/create-activities';
import { loadPolicy } from '../../config/policy';
import type { Connection } from 'mongoose';
import { TOOLS } from './tools';
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';

export interface TestDatabase {
  conn: Connection;
  models: Models;
  uri: string;
  close: () => Promise<void>;
}

/** A database of its own for one test file, dropped at the end. */
export async function freshDatabase(): Promise<TestDatabase> {
  const uri = `mongodb://127.0.0.1:${inject('mongoPort')}/t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const conn = await connectDatabase(uri);
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
  return {
    conn,
    models,
    uri,
    close: async () => {
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

export function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TOOLS.testServer } },
  });
}

/** The dev server every file shares (listing and visibility need it). */
export function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

export function testWorker(
  connection: NativeConnection,
  models: Models,
  taskQueue = `tq-${randomUUID()}`,
  overrides?: Partial<WorkerOptions>,
  webhook?: WebhookConfig,
): Promise<Worker> {
  return createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    models,
    webhook,
    policy: loadPolicy(),
    workflowBundlePath: inject('workflowBundlePath'),
    overrides,
  });
}

export interface CaseWorld {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  taskQueue: string;
}

/**
 * The setup most workflow test files share: a Temporal environment (time-skipping or the shared dev server), a fresh
 * database and a worker on a task queue of the file's own, started before the file's tests and stopped after them.
 */
export function useCaseWorld(kind: 'time-skipping' | 'dev', options: { webhook?: WebhookConfig } = {}): CaseWorld {
  const world = { taskQueue: `tq-${randomUUID()}` } as CaseWorld;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    [world.env, world.db] = await Promise.all([kind === 'dev' ? devServerEnvironment() : timeSkippingEnvironment(), freshDatabase()]);
    worker = await testWorker(world.env.nativeConnection, world.db.models, world.taskQueue, undefined, options.webhook);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await world.env?.teardown();
    await world.db?.close();
  });
  return world;
}

/** The stable code a workflow update was refused with, or undefined when it was applied. */
export async function updateRefusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type;
  }
}
