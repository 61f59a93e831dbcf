// Drives the real Express app over a loopback socket and mints tokens like the identity provider would.
import { SignJWT } from 'jose';
import type { Express } from 'express';
import type { AddressInfo, Server } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import type { AppDeps } from '../../api/app';
import { registeredSearchAttributes } from '../../api/services/search-attributes.service';
import { loadPolicy } from '../../config/policy';
import type { Models } from '../../db/models';
import type { Role } from '../../domain/roles';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export async function token(roles: Role[], opts: { sub?: string; branch?: string; branches?: string[]; secret?: string; expired?: boolean } = {}) {
  const jwt = new SignJWT({ name: 'Test Staff', roles, ...(opts.branch ? { branch: opts.branch } : {}), ...(opts.branches ? { branches: opts.branches } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(opts.sub ?? `staff-${roles.join('-')}`)
    .setIssuedAt()
    .setExpirationTime(opts.expired ? Math.floor(Date.now() / 1000) - 60 : '1h');
  return jwt.sign(new TextEncoder().encode(opts.secret ?? TEST_SECRET));
}

export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

export async function serve(app: Express) {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  async function call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= opts.contentType ?? 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (the docs page)
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return { call, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The app as tests build it: real Temporal client and models, the company policy, a silent logger, ready checks on. */
export function testAppDeps(env: TestWorkflowEnvironment, models: Models, taskQueue: string, patch: Partial<AppDeps> = {}): AppDeps {
  return {
    client: env.client,
    models,
    policy: loadPolicy(),
    taskQueue,
    jwtSecret: TEST_SECRET,
    bodyLimit: '20kb',
    logger: pino({ level: 'silent' }),
    indexedAttributes: () => registeredSearchAttributes(env.connection, 'default'),
    readiness: async () => ({ temporal: true, database: true }),
    ...patch,
  };
}
