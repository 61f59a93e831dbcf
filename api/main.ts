// API process: config once, connect Temporal and MongoDB, listen; SIGINT/SIGTERM close everything.
import { Client, Connection } from '@temporalio/client';
import { env } from '../config/env';
import { logger } from '../config/logger';
import { loadPolicy } from '../config/policy';
import { connectDatabase, createModels } from '../db/models';
import { backfillWorklistKeys } from '../db/worklist-keys';
import { createApp } from './app';
import { createHttpServer } from './http-guards';
import { startIdempotencySweeper } from './idempotency';
import { createApiMetrics } from './metrics';
import { seedAndAnnounce } from './services/calendars.service';
import { registeredSearchAttributes } from './services/search-attributes.service';

async function main(): Promise<void> {
  const config = env();
  const policy = loadPolicy(config.POLICY_FILE);
  const db = await connectDatabase(config.MONGODB_URI);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  let indexed: Promise<string[]> | undefined;
  const metrics = createApiMetrics();
  const metricsServer = metrics.listen(config.API_METRICS_PORT, config.HOST);

  const models = createModels(db);
  // Idempotent: only years without a calendar document are written; a failure here is retried at the next start.
  seedAndAnnounce(client, models, config.TEMPORAL_TASK_QUEUE).then(
    (years) => years.length && logger.info({ years }, 'calendars seeded from chinese-days'),
    (err) => logger.warn({ err }, 'calendar seeding failed; it is tried again at the next start'),
  );
  // Items written before bucket keys existed are keyed once; idempotent, and retried at the next start if it fails.
  backfillWorklistKeys(models, policy.calendar.timeZone).then(
    (items) => items && logger.info({ items }, 'worklist items keyed into due buckets'),
    (err) => logger.warn({ err }, 'worklist key backfill failed; it is tried again at the next start'),
  );
  const stopSweeper = startIdempotencySweeper(models, {
    ttlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000,
    everyMs: config.IDEMPOTENCY_SWEEP_SECONDS * 1000,
    logger,
  });
  const { app } = createApp({
    client,
    models,
    policy,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    jwtSecret: config.AUTH_JWT_SECRET,
    bodyLimit: config.BODY_LIMIT,
    logger,
    metrics,
    indexedAttributes: async () => {
      indexed ??= registeredSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
      const names = await indexed;
      if (!names.length) indexed = undefined; // ask again next time rather than cache an unreachable or empty answer
      return names;
    },
    readiness: async () => {
      const [temporal, database] = await Promise.all([
        connection.healthService.check({}).then(
          () => true,
          () => false,
        ),
        (db.db?.admin().ping() ?? Promise.reject(new Error('no db'))).then(
          () => true,
          () => false,
        ),
      ]);
      return { temporal, database };
    },
  });

  const server = createHttpServer(app).listen(config.PORT, config.HOST, () => {
    logger.info(
      { url: `http://${config.HOST}:${config.PORT}`, metrics: `http://${config.HOST}:${config.API_METRICS_PORT}/metrics`, policy: policy.version },
      'api listening',
    );
  });
  const stop = () => {
    logger.info('api stopping');
    stopSweeper();
    metricsServer.close();
    server.close(async () => {
      await connection.close();
      await db.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  logger.fatal({ err }, 'api failed to start');
  process.exit(1);
});
