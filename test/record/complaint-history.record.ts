// Records a complaint history for the replay test into a new file (older recordings stay, so old runs keep replaying); run with `npm run record:histories` after a deliberate change, bumping the file name.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import {
  acknowledgeUpdate,
  approvalUpdate,
  compensationUpdate,
  followUpUpdate,
  pauseUpdate,
  resumeUpdate,
  triageUpdate,
} from '../../workflows/complaint.messages';
import { actors, complaintInput, HOUR, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');

it('records a complaint that walks most of the ladder', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const handle = await openCase(env.client, db.models, taskQueue, complaintInput({ severity: undefined, priority: undefined }));
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(triageUpdate, { args: [{ actor: actors.supervisor, severity: 'serious', priority: 'high', valid: true }] });
    await env.sleep(30 * HOUR);
    await handle.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] });
    await env.sleep(5 * HOUR);
    await handle.executeUpdate(resumeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect: 'tile' }] });
    // Since v5 (patch authority-rule): a refund is recorded after the VP approves it.
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.vp, decision: 'refund_deposit_measured', approved: true, role: 'vp' }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'refund', defect: 'door', amount: 300 }] });
    // Patched follow-up-outcomes: a try that does not reach the customer, a call that informs them, neither escalates.
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'not_reached' }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'in_progress' }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    await env.sleep(4 * 24 * HOUR);
    // The CLI writes the same JSON the Web UI exports, which is what ops would hand us from production.
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', handle.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'complaint-case-v7-perf.json'), json);
  });
  await env.teardown();
  await db.close();
});
