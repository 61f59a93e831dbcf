// The Express app, built by a function so tests drive it without listen().
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Client } from '@temporalio/client';
import express, { type Request, type Response, type NextFunction } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import type { Models } from '../db/models';
import type { Policy } from '../schemas/policy.schema';
import { createAuthenticator } from './auth';
import { AppError, errorBody, errorHandler } from './errors';
import { knownPaths, methodNotAllowed } from './http-guards';
import { createIdempotency } from './idempotency';
import { calendarRoutes } from './routes/calendars.routes';
import { complaintRoutes } from './routes/complaints.routes';
import { contractAdjustmentRoutes } from './routes/contract-adjustments.routes';
import { contractCancellationRoutes } from './routes/contract-cancellation.routes';
import { contractRoutes } from './routes/contracts.routes';
import { reportRoutes } from './routes/reports.routes';
import { worklistRoutes } from './routes/worklist.routes';
import { lookupRoutes } from './routes/lookups.routes';
import { attachmentRoutes } from './routes/attachments.routes';
import { caseDocumentRoutes } from './routes/case-documents.routes';
import { createCaseDocumentService } from './services/case-documents.service';
import { createAttachmentService } from './services/attachments.service';
import type { ApiMetrics } from './metrics';
import { createCalendarService } from './services/calendars.service';
import { createComplaintService } from './services/complaints.service';
import { createContractAdjustmentService } from './services/contract-adjustments.service';
import { createContractCancellationService } from './services/contract-cancellation.service';
import { createContractService } from './services/contracts.service';
import { createCaseWorkService } from './services/case-work.service';
import { createWorklistService } from './services/worklist.service';
import { createLookupService } from './services/lookups.service';

export interface AppDeps {
  client: Client;
  models: Models;
  policy: Policy;
  taskQueue: string;
  jwtSecret: string;
  bodyLimit: string;
  logger: Logger;
  /** Custom search attributes the namespace has; looked up once, then cached. */
  indexedAttributes: () => Promise<string[]>;
  /** Prometheus request metrics; served on their own port by api/main.ts. */
  metrics?: ApiMetrics;
  /** Reachability of Temporal and the database, for /readyz. */
  readiness: () => Promise<{ temporal: boolean; database: boolean }>;
}

export function buildOpenApi(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Renovation customer-service cases',
      version: '1.0.0',
      description: 'Complaint cases and callback schedules run as durable Temporal workflows.',
    },
    servers: [{ url: '/' }],
  });
}

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const id = incoming && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.info({ reqId: id, method: req.method, path: req.route?.path ?? req.path, status: res.statusCode, ms }, 'request');
    });
    next();
  });
  if (deps.metrics) app.use(deps.metrics.middleware);
  let known: ReturnType<typeof knownPaths> = [];
  app.use(methodNotAllowed(() => known));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness();
    const ready = checks.temporal && checks.database;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  const registry = new OpenAPIRegistry();
  const v1 = express.Router();
  const authenticate = createAuthenticator(deps.jwtSecret);
  // One Idempotency-Key store for every route (MongoDB across replicas, a promise map inside this one).
  const idempotency = createIdempotency(deps.models);
  const complaints = createComplaintService({ ...deps, idempotency });
  complaintRoutes(v1, registry, authenticate, complaints);
  const contracts = createContractService({ ...deps, idempotency, complaints });
  contractRoutes(v1, registry, authenticate, contracts);
  contractAdjustmentRoutes(v1, registry, authenticate, createContractAdjustmentService({ ...deps, idempotency }));
  contractCancellationRoutes(v1, registry, authenticate, createContractCancellationService({ ...deps, idempotency }));
  reportRoutes(v1, registry, authenticate, deps.models, deps.policy);
  calendarRoutes(v1, registry, authenticate, createCalendarService(deps));
  const work = createCaseWorkService({ models: deps.models, timeZone: deps.policy.calendar.timeZone, idempotency });
  worklistRoutes(v1, registry, authenticate, { worklist: createWorklistService(deps), work });
  lookupRoutes(v1, registry, authenticate, createLookupService(deps));
  attachmentRoutes(v1, registry, authenticate, { attachments: createAttachmentService(deps), complaints, contracts });
  caseDocumentRoutes(v1, registry, authenticate, { documents: createCaseDocumentService(deps), complaints });
  // The token is checked before the body is read: without one, even a malformed body gets 401.
  app.use(
    '/v1',
    async (req, res, next) => {
      res.locals.user = await authenticate(req.headers.authorization);
      next();
    },
    express.json({ limit: deps.bodyLimit, type: 'application/json' }),
    v1,
  );

  const openapi = buildOpenApi(registry);
  known = knownPaths(openapi.paths ?? {}, { '/healthz': ['GET'], '/readyz': ['GET'], '/openapi.json': ['GET'] });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));

  app.use((req, res) => {
    res.status(404).json(errorBody(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  });
  app.use(errorHandler(deps.logger));
  return { app, openapi };
}
