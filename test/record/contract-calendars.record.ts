// Records contract-schedule-v6-calendars.json: working-time clocks, the warranty's own length, a corrected work start, a waived and a moved call.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { adjustUpdate, contractStateQuery, correctionUpdate, milestoneUpdate, outcomeUpdate } from '../../workflows/contract.messages';
import { actors, contractInput, HOUR, openContract } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

it('records a contract schedule through corrections and working-time clocks', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    // The test policy lists every clock as working time (config/policy.default.json); the contract has its own warranty length.
    const input = contractInput({ contractSignedAt: iso(now - 8 * DAY), plannedCompletionAt: iso(now + 60 * DAY), warrantyLength: 'P2M' });
    const h = await openContract(env.client, db.models, taskQueue, input);
    await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'work_started', at: iso(now - 2 * DAY) }] });
    // The construction phase runs on in a fresh run: everything below is in the exported (last) run.
    await env.sleep(HOUR);
    const open = (await h.query(contractStateQuery)).open;
    const afterSigning = open.find((c) => c.kind === 'after_signing')!;
    await h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId: afterSigning.id, result: 'not_reached' }] });
    await h.executeUpdate(correctionUpdate, { args: [{ actor: actors.supervisor, milestone: 'work_started', at: iso(now - 4 * DAY) }] });
    await h.executeUpdate(adjustUpdate, { args: [{ actor: actors.assistant, callbackId: afterSigning.id, action: 'waive' }] });
    await h.executeUpdate(adjustUpdate, {
      args: [{ actor: actors.assistant, callbackId: `${input.contractNo}.construction.2`, action: 'reschedule', dueAt: iso(now + 30 * DAY) }],
    });
    // Construction call 1 falls due and its working-time reminder and escalation fire.
    await env.sleep(12 * DAY);
    await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.branch, type: 'pennant_received', at: iso(now + 11 * DAY) }] });
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', h.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'contract-schedule-v6-calendars.json'), json);
  });
  await env.teardown();
  await db.close();
});
