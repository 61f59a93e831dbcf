// Notifications reach a real local HTTP receiver, signed, retried by Temporal, and posted once per notification id.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acknowledgeUpdate, escalateUpdate } from '../../workflows/complaint.messages';
import { actors, complaintInput, MINUTE, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment, type TestDatabase } from '../support/harness';

const SECRET = 'receiver-shared-secret-0123456789';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let receiver: http.Server;
const taskQueue = `webhook-${randomUUID()}`;
const attempts = new Map<string, number>();
const accepted: { id: string; body: Record<string, unknown> }[] = [];
let badSignatures = 0;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const id = String(req.headers['x-notification-id']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      if (req.headers['x-signature-sha256'] !== expected) badSignatures++;
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      // The first two tries of every notification fail, as a receiver that is briefly down would.
      if (n <= 2) {
        res.writeHead(503).end();
        return;
      }
      accepted.push({ id, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/cases`;
  [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  worker = await testWorker(env.nativeConnection, db.models, taskQueue, undefined, { url, secret: SECRET });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.close();
  receiver?.close();
});

it('posts every stored notification once, signed, after the receiver recovers', async () => {
  const input = complaintInput();
  const h = await openCase(env.client, db.models, taskQueue, input);
  await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
  await h.executeUpdate(escalateUpdate, { args: [{ actor: actors.assistant }] });
  await env.sleep(2 * MINUTE);
  await expect.poll(async () => db.models.Notification.countDocuments({ caseId: input.complaintId, deliveredAt: null }), { timeout: 20_000 }).toBe(0);

  const stored = await db.models.Notification.find({ caseId: input.complaintId }).lean();
  expect(stored.length).toBeGreaterThanOrEqual(2);
  const ids = stored.map((n) => n._id).sort();
  expect(accepted.map((a) => a.id).sort()).toEqual(ids);
  for (const id of ids) expect(attempts.get(id)).toBe(3);
  expect(badSignatures).toBe(0);
  const escalated = accepted.find((a) => a.body.type === 'escalated')!;
  expect(escalated.body).toMatchObject({ caseId: input.complaintId, recipientRole: 'supervisor', caseType: 'complaint' });
  // No personal data leaves in a notification.
  expect(JSON.stringify(accepted)).not.toMatch(/Test Customer|1380000/);
});
