// Records complaint-case-v7-approvals.json: approvals as durable steps (patch approval-steps) — a request reminded and escalated
// under time skipping, a refusal, an approval after asking again, a two-group decision and an arbitration handed to legal.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { acknowledgeUpdate, approvalRequestUpdate, approvalUpdate, compensationUpdate, feedbackUpdate } from '../../workflows/complaint.messages';
import { actors, complaintInput, HOUR, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');

it('records a complaint whose approvals wait, remind, escalate and decide', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const handle = await openCase(env.client, db.models, taskQueue, complaintInput());
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch }] });
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.assistant, decision: 'refund_deposit_measured' }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect: 'D-0000000000000001' }] });
    // Nobody decides: the reminder at 24 h, the escalation at 48 h.
    await env.sleep(49 * HOUR);
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.vp, decision: 'refund_deposit_measured', approved: false, role: 'vp' }] });
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.assistant, decision: 'refund_deposit_measured' }] });
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.vp, decision: 'refund_deposit_measured', approved: true, role: 'vp' }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'refund', defect: 'D-0000000000000002', amount: 300 }] });
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.supervisor, decision: 'environmental_dispute' }] });
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.legal, decision: 'environmental_dispute', approved: true, role: 'legal' }] });
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.director, decision: 'environmental_dispute', approved: true, role: 'director' }] });
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.director, decision: 'arbitration_lawsuit' }] });
    await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.legal, decision: 'arbitration_lawsuit', approved: true, role: 'legal' }] });
    await env.sleep(HOUR);
    // The CLI writes the same JSON the Web UI exports, which is what ops would hand us from production.
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', handle.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'complaint-case-v7-approvals.json'), json);
  });
  await env.teardown();
  await db.close();
});
