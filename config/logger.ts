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

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SERVICE_NAME ?? 'service-cases' },
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
