// A 5-year warranty and a whole complaint ladder under time skipping, through the same services the API calls.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import path from 'node:path';
import type { StaffUser } from '../api/auth';
import { createComplaintService } from '../api/services/complaints.service';
import { createContractService } from '../api/services/contracts.service';
import { loadPolicy } from '../config/policy';
import { connectDatabase, createModels } from '../db/models';
import { createWorker } from '../worker/create-worker';
import { createComplaintBody } from '../schemas/complaint.schema';
import { outcomeBody } from '../schemas/contract.schema';
import { contractStateQuery, contractWorkflowId } from '../workflows/contract.messages';
import { costsOf, type StepCost } from './histories';

const DAY = 86_400_000;
const ROOT = path.resolve(__dirname, '..');
const staff: StaffUser = { sub: 'bench', name: 'Bench', roles: ['assistant', 'supervisor', 'branch'] };

export async function warrantyUnderTimeSkipping(
  mongoUri: string,
): Promise<{ warranty: { wallSeconds: number; runs: number; maxHistoryEvents: number }; ladderCost: StepCost }> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: path.join(ROOT, '.tools/venv/bin/temporal-test-server') } },
  });
  const conn = await connectDatabase(mongoUri.replace(/\/[^/]*$/, '/bench_time_skipping'));
  const models = createModels(conn);
  const taskQueue = 'bench-time-skipping';
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, models });
  try {
    return await worker.runUntil(async () => {
      const deps = { client: env.client, models, taskQueue, indexedAttributes: async () => [] };
      const now = await env.currentTimeMs();
      const contracts = createContractService({ ...deps, policy: loadPolicy() });
      await contracts.register(
        {
          contractNo: 'BENCH-5Y',
          branch: 'bench',
          customer: { name: 'Bench', phone: '13900000000' },
          contractSignedAt: new Date(now - 200 * DAY).toISOString(),
          plannedCompletionAt: new Date(now - 100 * DAY).toISOString(),
          warrantyMonths: 60,
        },
        staff,
      );
      await contracts.milestone('BENCH-5Y', { type: 'work_started', at: new Date(now - 190 * DAY).toISOString() }, staff);
      await contracts.milestone('BENCH-5Y', { type: 'completed', at: new Date(now - 100 * DAY).toISOString() }, staff);
      const handle = env.client.workflow.getHandle(contractWorkflowId('BENCH-5Y'));
      const t0 = performance.now();
      const runs = new Set<string>();
      let maxHistory = 0;
      for (let year = 0; year < 5; year++) {
        await env.sleep(365 * DAY);
        const d = await handle.describe();
        runs.add(d.runId);
        maxHistory = Math.max(maxHistory, d.historyLength);
        for (const c of (await handle.query(contractStateQuery)).open) await contracts.outcome(c.id, outcomeBody.parse({ result: 'satisfied' }), staff);
      }
      const warranty = { wallSeconds: Math.round((performance.now() - t0) / 100) / 10, runs: runs.size, maxHistoryEvents: maxHistory };
      // A complaint nobody answers climbs every rung by its own timers, so each step is a timer-driven one.
      const complaints = createComplaintService({ ...deps, policy: loadPolicy(path.join(ROOT, 'config/policy.demo-seconds.json')) });
      const opened = await complaints.open(
        createComplaintBody.parse({
          kind: 'customer',
          source: 'phone',
          branch: 'bench',
          complainant: { name: 'Bench', phone: '13900000001' },
          category: 'quality',
          description: 'bench',
          severity: 'general',
          priority: 'medium',
        }),
        staff,
        'bench-ladder',
      );
      await env.sleep(DAY);
      const ladderCost = await costsOf(env.client, [`complaint-${opened.body.id}`]);
      return { warranty, ladderCost };
    });
  } finally {
    await conn.close();
    await env.teardown();
  }
}
