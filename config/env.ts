import { z } from 'zod';

// A blank variable counts as unset, so `PORT=` falls back to the default instead of coercing to 0.
const port = (fallback: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).default(fallback));

// Every environment variable the processes read, parsed once; a bad value stops start-up with its name.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('service-cases'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { message: 'must be a mongodb:// or mongodb+srv:// URI' })
    .default('mongodb://127.0.0.1:27017/service_cases'),
  AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters (HS256 key)' }),
  POLICY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, { message: 'must look like 100kb' })
    .default('100kb'),
  WEBHOOK_URL: z
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WEBHOOK_SECRET: z.string().optional(),
  API_METRICS_PORT: port(9465),
  // Idempotency keys are remembered this long, then swept (no TTL indexes on FerretDB); the sweep runs every interval.
  IDEMPOTENCY_KEY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  IDEMPOTENCY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  METRICS_PORT: port(9464),
  // Sleeping cases need no memory: a bounded cache keeps worker RSS flat however many cases are open (bench/RESULTS.md).
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(300),
  // Task slots and pollers; unset keeps the values chosen from `npm run bench:tuning` (worker/create-worker.ts).
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(1000).optional(),
  WORKER_WORKFLOW_POLLERS: z.coerce.number().int().min(2).max(100).optional(),
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).optional(),
  WORKER_LOCAL_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).optional(),
  // A workflow bundle built beforehand (bundleWorkflowCode; npm run cluster builds one per start): a restarted worker
  // polls again without bundling the workflows first (about 2.6 CPU-s, 15 s on a loaded 2-core machine).
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
});

const checkedEnv = envSchema.superRefine((e, ctx) => {
  if (e.WEBHOOK_URL && z.url().safeParse(e.WEBHOOK_URL).success && (!e.WEBHOOK_SECRET || e.WEBHOOK_SECRET.length < 16))
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'must be at least 16 characters when WEBHOOK_URL is set (it signs every post)' });
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = checkedEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use; exits with the bad variables named. */
export function env(): Env {
  if (!cached) {
    try {
      cached = parseEnv();
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(78);
      }
      throw err;
    }
  }
  return cached;
}
