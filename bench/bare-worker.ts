// A worker with SDK defaults for the bare workflows, in its own process like the project's worker.
import { NativeConnection, Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import mongoose from 'mongoose';
import { createBareActivities } from './bare.activities';
import { DATABASE_POOL_SIZE } from '../db/models';

async function main(): Promise<void> {
  const [address, mongoUri, taskQueue] = process.argv.slice(2) as [string, string, string];
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const db = await mongoose.createConnection(mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowsPath: require.resolve('./bare.workflows'),
    activities: createBareActivities(db),
  });
  process.send?.('ready');
  await worker.run();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
