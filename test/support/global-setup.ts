// Servers shared by every test file: one FerretDB (each file takes a fresh database), one dev server, one workflow bundle.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { workflowsPath } from '../../worker/create-worker';
import { SA } from '../../workflows/search-attributes';
import { startFerretDb } from './ferretdb';
import { requireTools, TOOLS } from './tools';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoPort: number;
    postgres: { port: number; user: string; password: string };
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  requireTools();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'service-cases-test-'));
  const started = await Promise.allSettled([
    startFerretDb(),
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: TOOLS.temporal },
        searchAttributes: Object.values(SA),
        log: { format: 'pretty', level: 'error' },
      },
    }),
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') }),
  ] as const);
  const [ferretR, devR, bundleR] = started;
  if (ferretR.status === 'rejected' || devR.status === 'rejected' || bundleR.status === 'rejected') {
    // Stop whatever did start so a failed setup leaves no server behind.
    if (ferretR.status === 'fulfilled') await ferretR.value.stop();
    if (devR.status === 'fulfilled') await devR.value.teardown();
    const reason = [ferretR, devR, bundleR].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    throw reason.reason;
  }
  const [ferret, dev, bundle] = [ferretR.value, devR.value, bundleR.value];
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('mongoPort', ferret.port);
  project.provide('postgres', { port: ferret.pg.port, user: ferret.pg.user, password: ferret.pg.password });
  project.provide('temporalAddress', dev.address);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await dev.teardown();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
