import pino from 'pino';

// Personal data and credentials never reach the logs, whatever object a caller passes.
export const REDACT_PATHS = [
  '*.name',
  '*.phone',
  '*.*.name',
  '*.*.phone',
  '*.*.*.name',
  '*.*.*.phone',
  '*.keyValue',
  '*.*.keyValue',
  'complainant',
  'customer',
  'req.headers.authorization',
  'headers.authorization',
];

export interface LoggedError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: LoggedError;
}

const CAUSE_DEPTH = 5;

/** An error and its cause chain as plain data: SDK errors hold circular references (connections, handles) that pino cannot print. */
export function serializeError(err: unknown, depth = 0): LoggedError | undefined {
  if (err === undefined || err === null) return undefined;
  if (!(err instanceof Error)) return { type: typeof err, message: String(err).slice(0, 500) };
  const e = err as Error & { code?: unknown; type?: unknown };
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? e.code : typeof e.type === 'string' ? e.type : undefined;
  return {
    type: e.name || e.constructor?.name || 'Error',
    message: e.message,
    ...(code !== undefined ? { code } : {}),
    stack: e.stack,
    ...(depth < CAUSE_DEPTH && e.cause !== undefined ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'service-cases' },
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  serializers: { err: serializeError },
  timestamp: pino.stdTimeFunctions.isoTime,
});
