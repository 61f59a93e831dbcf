// Worker process: connects to Temporal and MongoDB from config and runs until SIGINT/SIGTERM.
import { NativeConnection } from '@temporalio/worker';
import { env } from '../config/env';
import { connectDatabase, createModels } from '../db/models';
import { logger } from '../config/logger';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  const config = env();
  const db = await connectDatabase(config.MONGODB_URI);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    models: createModels(db),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker started');
  // Worker.run resolves after the SDK's own SIGINT/SIGTERM handling has drained in-flight tasks.
  await worker.run();
  await connection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
