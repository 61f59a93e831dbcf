// The workflows bundled once by the process that starts the workers: each worker (and each restart of one after a
// crash) loads the file instead of bundling, so webpack's CPU and memory stay out of the worker process.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../worker/create-worker';
import { StartError } from './supervisor';

/** Webpack's progress lines stay out of the stack's output; warnings and errors still show. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(`[workflow bundle] ${m}`),
  error: (m: string) => console.error(`[workflow bundle] ${m}`),
};

/** Starts bundling into `dir`; `ready` resolves to the file's path (rebuilt at every start: the code the stack started with). */
export function buildWorkflowBundle(dir: string): { ready: Promise<string> } {
  const file = path.join(dir, 'workflow-bundle.js');
  const ready = bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }).then(
    ({ code }) => {
      writeFileSync(file, code);
      return file;
    },
    (err: Error) => {
      throw new StartError('workflow bundle', `bundling workflows/ failed (${err.message.split('\n')[0]})`, 'run npx tsc --noEmit -p . and correct what it names');
    },
  );
  ready.catch(() => undefined); // awaited by the caller before it starts a worker; a failure is reported there
  return { ready };
}
