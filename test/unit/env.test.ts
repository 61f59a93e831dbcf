// parseEnv: defaults, and a bad environment stops start-up with every bad variable named.
import { describe, it, expect } from 'vitest';
import { ConfigError, parseEnv } from '../../config/env';

const SECRET = 'unit-test-secret-0123456789abcdef'; // 33 characters

/** The ConfigError message parseEnv throws, or a failure if it accepted the environment. */
function rejection(source: NodeJS.ProcessEnv): string {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe('ConfigError');
    return (err as Error).message;
  }
  throw new Error('expected the environment to be rejected');
}

/** Variable names listed in a ConfigError message. */
function named(message: string): string[] {
  return message
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(':')[0] ?? '')
    .sort();
}

describe('parseEnv', () => {
  it('fills in defaults when only the secret is set', () => {
    expect(parseEnv({ AUTH_JWT_SECRET: SECRET })).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'service-cases',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/service_cases',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
      BODY_LIMIT: '100kb',
      METRICS_PORT: 9464,
      WORKER_CACHED_WORKFLOWS: 300,
      API_METRICS_PORT: 9465,
      IDEMPOTENCY_KEY_TTL_SECONDS: 86_400,
      IDEMPOTENCY_SWEEP_SECONDS: 600,
    });
  });

  it('reads and coerces given values', () => {
    const env = parseEnv({
      AUTH_JWT_SECRET: SECRET,
      NODE_ENV: 'production',
      PORT: '8080',
      METRICS_PORT: '9100',
      MONGODB_URI: 'mongodb+srv://cluster.example/db',
      LOG_LEVEL: 'debug',
      BODY_LIMIT: '1mb',
      POLICY_FILE: '/etc/policy.json',
      WEBHOOK_URL: 'https://hooks.example/cases',
      WEBHOOK_SECRET: 'a-webhook-signing-key',
      WORKFLOW_BUNDLE: '/srv/workflow-bundle.js',
    });
    expect(env.NODE_ENV).toBe('production');
    expect(env.PORT).toBe(8080);
    expect(env.METRICS_PORT).toBe(9100);
    expect(env.MONGODB_URI).toBe('mongodb+srv://cluster.example/db');
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.BODY_LIMIT).toBe('1mb');
    expect(env.POLICY_FILE).toBe('/etc/policy.json');
    expect(env.WEBHOOK_URL).toBe('https://hooks.example/cases');
    expect(env.WORKFLOW_BUNDLE).toBe('/srv/workflow-bundle.js');
  });

  it('requires a signing secret of 16+ characters once a WEBHOOK_URL is set', () => {
    expect(named(rejection({ AUTH_JWT_SECRET: SECRET, WEBHOOK_URL: 'https://hooks.example/x' }))).toEqual(['WEBHOOK_SECRET']);
    expect(named(rejection({ AUTH_JWT_SECRET: SECRET, WEBHOOK_URL: 'https://hooks.example/x', WEBHOOK_SECRET: 'short' }))).toEqual(['WEBHOOK_SECRET']);
  });

  it('treats an empty WEBHOOK_URL as unset', () => {
    expect(parseEnv({ AUTH_JWT_SECRET: SECRET, WEBHOOK_URL: '' }).WEBHOOK_URL).toBeUndefined();
  });

  it('ignores unrelated variables', () => {
    expect(parseEnv({ AUTH_JWT_SECRET: SECRET, PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('requires AUTH_JWT_SECRET', () => {
    const msg = rejection({});
    expect(msg).toMatch(/^invalid environment:\n/);
    expect(named(msg)).toEqual(['AUTH_JWT_SECRET']);
  });

  it('rejects an AUTH_JWT_SECRET shorter than 32 characters, and accepts exactly 32', () => {
    const msg = rejection({ AUTH_JWT_SECRET: 'x'.repeat(31) });
    expect(msg).toMatch(/AUTH_JWT_SECRET: must be at least 32 characters/);
    expect(rejection({ AUTH_JWT_SECRET: '' })).toMatch(/AUTH_JWT_SECRET/);
    expect(parseEnv({ AUTH_JWT_SECRET: 'x'.repeat(32) }).AUTH_JWT_SECRET).toHaveLength(32);
  });

  it('never echoes the secret into the message', () => {
    expect(rejection({ AUTH_JWT_SECRET: 'short-secret-value' })).not.toContain('short-secret-value');
  });

  it('names every bad variable at once', () => {
    const msg = rejection({ AUTH_JWT_SECRET: SECRET, PORT: 'abc', MONGODB_URI: 'http://x' });
    expect(named(msg)).toEqual(['MONGODB_URI', 'PORT']);
    expect(msg).toMatch(/MONGODB_URI: must be a mongodb:\/\/ or mongodb\+srv:\/\/ URI/);
  });

  it('names the missing secret together with other bad variables', () => {
    const msg = rejection({ PORT: 'abc', MONGODB_URI: 'http://x', LOG_LEVEL: 'loud', NODE_ENV: 'staging' });
    expect(named(msg)).toEqual(['AUTH_JWT_SECRET', 'LOG_LEVEL', 'MONGODB_URI', 'NODE_ENV', 'PORT']);
  });

  it.each<[string, string]>([
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['METRICS_PORT', 'nine'],
    ['BODY_LIMIT', '100'],
    ['BODY_LIMIT', '1gb'],
    ['WEBHOOK_URL', 'not a url'],
    ['POLICY_FILE', ''],
    ['TEMPORAL_ADDRESS', ''],
    ['LOG_LEVEL', 'verbose'],
  ])('rejects %s=%j by name', (name, value) => {
    expect(named(rejection({ AUTH_JWT_SECRET: SECRET, [name]: value }))).toEqual([name]);
  });
});
