// Records contract-schedule-v6-cancel-approval.json: a cancellation asked, reminded, escalated and rejected while a call falls due, asked again and approved.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { cancellationDecisionUpdate, cancellationRequestUpdate, outcomeUpdate, contractStateQuery } from '../../workflows/contract.messages';
import { actors, contractInput, HOUR, openContract } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

it('records a contract cancellation through its approval step', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    const input = contractInput({ contractSignedAt: iso(now - 2 * DAY), plannedCompletionAt: iso(now + 60 * DAY) });
    const h = await openContract(env.client, db.models, taskQueue, input);
    await h.executeUpdate(cancellationRequestUpdate, { args: [{ actor: actors.assistant, reasonCode: 'financing_failed' }] });
    await h.executeUpdate(cancellationRequestUpdate, { args: [{ actor: actors.branch, reasonCode: 'other' }] });
    // Nobody decides: the reminder, then the escalation; the after-signing call falls due meanwhile and is made.
    await env.sleep(6 * DAY);
    const call = (await h.query(contractStateQuery)).open.find((c) => c.kind === 'after_signing');
    if (call) await h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId: call.id, result: 'satisfied' }] });
    await h.executeUpdate(cancellationDecisionUpdate, { args: [{ actor: actors.vp, approved: false, role: 'vp' }] });
    await h.executeUpdate(cancellationRequestUpdate, { args: [{ actor: actors.supervisor, reasonCode: 'customer_withdraws' }] });
    await env.sleep(HOUR);
    await h.executeUpdate(cancellationDecisionUpdate, { args: [{ actor: actors.vp, approved: true, role: 'vp' }] });
    await h.result();
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', h.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'contract-schedule-v6-cancel-approval.json'), json);
  });
  await env.teardown();
  await db.close();
});
