// Records complaint-case-v7-ladder.json: a crew complaint re-flagged as media, kept by the director and the VP, that the director
// re-decides, plus -media and -lawsuit (patches external-decision, lawsuit-to-legal). Older recordings stay as they are.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import {
  acknowledgeUpdate,
  closeUpdate,
  compensationUpdate,
  directorDecisionUpdate,
  externalDecisionUpdate,
  externalFlagUpdate,
  feedbackUpdate,
  followUpUpdate,
  triageUpdate,
} from '../../workflows/complaint.messages';
import { actors, complaintInput, HOUR, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');
const form = { cause: 'c', action: 'a', responsible: 'r' };

it('records a re-flagged crew complaint that the director and the VP keep, and the director ends', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const handle = await openCase(env.client, db.models, taskQueue, complaintInput({ kind: 'crew', severity: undefined, priority: undefined }));
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(triageUpdate, { args: [{ actor: actors.supervisor, severity: 'general', priority: 'medium', valid: true }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'allowance' }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: { sub: 'eng-1', roles: ['engineering'] }, ...form }] });
    await env.sleep(2 * HOUR);
    await handle.executeUpdate(externalFlagUpdate, { args: [{ actor: actors.supervisor, source: 'media' }] });
    await handle.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    await handle.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.vp, decision: 'keep' }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    await handle.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'rehandle' }] });
    // The second handling is missed; the follow-up round's clock runs; the customer stays unsatisfied.
    await env.sleep(30 * HOUR);
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    await env.sleep(30 * HOUR);
    await handle.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'upheld' }] });
    const show = (workflowId: string) => execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'complaint-case-v7-ladder.json'), show(handle.workflowId));

    // A media complaint at intake (patch external-decision): the director decides, the VP does not, legal takes it at 24 h.
    const media = await openCase(env.client, db.models, taskQueue, complaintInput({ source: 'media', severity: undefined, priority: undefined }));
    await media.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await media.executeUpdate(triageUpdate, { args: [{ actor: actors.director, severity: 'major', priority: 'high', valid: true }] });
    await media.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    await env.sleep(25 * HOUR);
    writeFileSync(path.join(DIR, 'complaint-case-v7-ladder-media.json'), show(media.workflowId));

    // A lawsuit (patch lawsuit-to-legal): in legal hands at intake; repairs go on meanwhile; legal closes it.
    const lawsuit = await openCase(env.client, db.models, taskQueue, complaintInput({ source: 'lawsuit', severity: undefined, priority: undefined }));
    for (const defect of ['door', 'tile', 'sink']) {
      await lawsuit.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect }] });
    }
    await lawsuit.executeUpdate(closeUpdate, { args: [{ actor: actors.legal }] });
    writeFileSync(path.join(DIR, 'complaint-case-v7-ladder-lawsuit.json'), show(lawsuit.workflowId));
  });
  await env.teardown();
  await db.close();
});
