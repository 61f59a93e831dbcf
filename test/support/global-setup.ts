// Servers shared by every test file: one FerretDB (each file takes a fresh database), one dev server, one workflow bundle.
import { bundleWorkflowCode } from '@temporalio/worker';
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
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  requireTools();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'service-cases-test-'));
  const [ferret, dev, bundle] = await Promise.all([
    startFerretDb(),
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: TOOLS.temporal },
        searchAttributes: Object.values(SA),
        log: { format: 'pretty', level: 'error' },
      },
    }),
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: undefined }),
  ]);
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('mongoPort', ferret.port);
  project.provide('temporalAddress', dev.address);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await dev.teardown();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
