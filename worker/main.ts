// Worker process: connects to Temporal and MongoDB from config and runs until SIGINT/SIGTERM.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { env } from '../config/env';
import { loadPolicy } from '../config/policy';
import { ensureKpiSummarySchedules } from './kpi-summary-schedules';
import { connectDatabase, createModels } from '../db/models';
import { logger } from '../config/logger';
import { seedCalendarsAtStart } from './calendar-seed';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  const config = env();
  // SDK runtime metrics plus the workflows' own counters (cases opened, escalations, notifications sent), for Prometheus.
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'INFO'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.HOST}:${config.METRICS_PORT}`, countersTotalSuffix: true } } },
  });
  const policy = loadPolicy(config.POLICY_FILE);
  const db = await connectDatabase(config.MONGODB_URI);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const kpiSummarySchedules = await ensureKpiSummarySchedules(client, config.TEMPORAL_TASK_QUEUE, policy);
  if (kpiSummarySchedules.length) logger.info({ kpiSummarySchedules }, 'KPI summary schedules created');
  const models = createModels(db);
  const seeded = await seedCalendarsAtStart(client, models, config.TEMPORAL_TASK_QUEUE);
  if (seeded.length) logger.info({ years: seeded }, 'calendars seeded from chinese-days');
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    models,
    webhook: config.WEBHOOK_URL ? { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET ?? '' } : undefined,
    policy,
    maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
    tuning: {
      workflowTaskSlots: config.WORKER_WORKFLOW_TASK_SLOTS,
      workflowPollers: config.WORKER_WORKFLOW_POLLERS,
      activitySlots: config.WORKER_ACTIVITY_SLOTS,
      localActivitySlots: config.WORKER_LOCAL_ACTIVITY_SLOTS,
    },
    workflowBundlePath: config.WORKFLOW_BUNDLE,
  });
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      temporal: config.TEMPORAL_ADDRESS,
      metrics: `http://${config.HOST}:${config.METRICS_PORT}/metrics`,
      webhook: Boolean(config.WEBHOOK_URL),
    },
    'worker started',
  );
  // Worker.run resolves after the SDK's own SIGINT/SIGTERM handling has drained in-flight tasks.
  await worker.run();
  await connection.close();
  await clientConnection.close();
  await db.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
