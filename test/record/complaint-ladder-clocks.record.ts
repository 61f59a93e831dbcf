// Records complaint-case-v7-ladder-clocks.json: a customer complaint whose 24 h answer is missed (customer-answer-clock), whose
// repair is called back in working time (post-repair-working-time), re-flagged as media with the deciders warned (external-decision-warning).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { acknowledgeUpdate, externalDecisionUpdate, externalFlagUpdate, feedbackUpdate, followUpUpdate } from '../../workflows/complaint.messages';
import { actors, complaintInput, HOUR, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');

it('records the answer clock, the post-repair task in working time and the decision-clock warning', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const handle = await openCase(env.client, db.models, taskQueue, complaintInput());
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'not_reached' }] });
    // Nobody reaches the customer: the answer is missed at 24 h (and the feedback step with it, which starts round 1).
    await env.sleep(25 * HOUR);
    await handle.executeUpdate(feedbackUpdate, {
      args: [{ actor: actors.branch, cause: 'c', action: 'a', responsible: 'r', repairCompletedAt: '2026-12-04T02:00:00.000Z' }],
    });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'in_progress' }] });
    await handle.executeUpdate(externalFlagUpdate, { args: [{ actor: actors.supervisor, source: 'media' }] });
    await handle.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    // The VP is warned 4 h before the clock runs out, once; at 24 h the case reaches legal by itself.
    await env.sleep(25 * HOUR);
    const show = (workflowId: string) => execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'complaint-case-v7-ladder-clocks.json'), show(handle.workflowId));
  });
  await env.teardown();
  await db.close();
});
