// Records complaint-case-v7-ladder-private-job.json: a crew's private job found on a callback, with the director and legal
// at intake (patch callback-findings); repairs go on meanwhile and legal closes it. Older recordings stay as they are.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { closeUpdate, compensationUpdate } from '../../workflows/complaint.messages';
import { actors, complaintInput, openCase } from '../support/fixtures';
import { freshDatabase, testWorker, timeSkippingEnvironment } from '../support/harness';
import { TOOLS } from '../support/tools';

const DIR = path.join(__dirname, '../fixtures/histories');

it('records a private job found on a callback', async () => {
  const [env, db] = await Promise.all([timeSkippingEnvironment(), freshDatabase()]);
  const taskQueue = `record-${randomUUID()}`;
  const worker = await testWorker(env.nativeConnection, db.models, taskQueue);
  await worker.runUntil(async () => {
    const handle = await openCase(env.client, db.models, taskQueue, complaintInput({ source: 'callback', finding: 'private_job' }));
    for (const defect of ['door', 'tile', 'sink']) {
      await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect }] });
    }
    await handle.executeUpdate(closeUpdate, { args: [{ actor: actors.legal }] });
    const json = execFileSync(TOOLS.temporal, ['workflow', 'show', '--address', env.address, '-w', handle.workflowId, '-o', 'json']);
    writeFileSync(path.join(DIR, 'complaint-case-v7-ladder-private-job.json'), json);
  });
  await env.teardown();
  await db.close();
});
