// Replays exported workflow histories (Web UI / CLI JSON) against today's workflow code; exits 1 on nondeterminism.
import { Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { workflowsPath } from '../worker/create-worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const [target = path.join(__dirname, '../test/fixtures/histories'), bundle] = process.argv.slice(2);
  const files = statSync(target).isDirectory()
    ? readdirSync(target).filter((f) => f.endsWith('.json')).map((f) => path.join(target, f))
    : [target];
  if (!files.length) throw new Error(`no .json histories in ${target}`);
  const options = bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: workflowsPath() };
  for (const file of files) {
    const history = JSON.parse(readFileSync(file, 'utf8'));
    await Worker.runReplayHistory(options, history, path.basename(file));
    console.log(`replayed ${path.basename(file)}: ${history.events.length} events, deterministic`);
  }
}

main().catch((err: Error) => {
  console.error(`replay failed: ${err.message}`);
  process.exit(1);
});
