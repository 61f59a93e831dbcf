// The error registry and the OpenAPI document agree: every code a route declares is documented with its status.
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { ERROR_STATUS, type ErrorCode } from '../../api/errors';
import type { Models } from '../../db/models';
import { CALLBACK_ERRORS, CASE_ERROR_CODES, MILESTONE_ERRORS } from '../../domain/errors';
import { POLICY } from '../support/fixtures';

interface Operation {
  responses: Record<string, unknown>;
  'x-error-codes'?: ErrorCode[];
}

// Building the app mounts every route; nothing here talks to Temporal or MongoDB.
const { openapi } = createApp({
  client: {} as Client,
  models: {} as Models,
  policy: POLICY,
  taskQueue: 'unused',
  jwtSecret: 'x'.repeat(32),
  bodyLimit: '20kb',
  logger: pino({ level: 'silent' }),
  indexedAttributes: async () => [],
  readiness: async () => ({ temporal: true, database: true }),
});
const operations = Object.entries(openapi.paths ?? {}).flatMap(([p, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ route: `${method.toUpperCase()} ${p}`, op })),
);
const codesOf = (route: string) => operations.find((o) => o.route === route)?.op['x-error-codes'] ?? [];

describe('error registry', () => {
  it('documents the status of every code each route declares', () => {
    expect(operations.length).toBeGreaterThan(15);
    const missing = operations.flatMap(({ route, op }) =>
      (op['x-error-codes'] ?? []).filter((c) => !(String(ERROR_STATUS[c]) in op.responses)).map((c) => `${route}: ${c} (${ERROR_STATUS[c]})`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every workflow refusal a status and a route that documents it', () => {
    const declared = new Set(operations.flatMap(({ op }) => op['x-error-codes'] ?? []));
    for (const code of CASE_ERROR_CODES) {
      expect(ERROR_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(declared.has(code), `${code} is declared by some route`).toBe(true);
    }
  });

  it('documents every milestone refusal on the milestone route and every callback refusal on the outcome route', () => {
    expect(codesOf('POST /v1/contracts/{contractNo}/milestones')).toEqual(expect.arrayContaining([...MILESTONE_ERRORS]));
    expect(codesOf('POST /v1/callbacks/{id}/outcome')).toEqual(expect.arrayContaining([...CALLBACK_ERRORS]));
    const milestone = operations.find((o) => o.route === 'POST /v1/contracts/{contractNo}/milestones')!;
    expect(Object.keys(milestone.op.responses)).toContain('422');
  });

  it('writes every pattern as a plain regular expression: a JavaScript flag would make it match nothing', () => {
    const patterns: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === 'pattern' && typeof x === 'string') patterns.push(x);
          else walk(x);
        }
    };
    walk(openapi);
    expect(patterns.length).toBeGreaterThan(5);
    expect(patterns.filter((p) => /\/[a-z]+$/.test(p))).toEqual([]);
    for (const p of patterns) expect(() => new RegExp(p, 'u'), p).not.toThrow();
  });
});
