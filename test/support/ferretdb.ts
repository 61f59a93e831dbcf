// Starts a real PostgreSQL 15 (temp dir) and FerretDB on it on free loopback ports, with the same code as npm start.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb as runFerret } from '../../scripts/lib/ferretdb';
import { startPostgres, type RunningPostgres } from '../../scripts/lib/postgres';
import { createSupervisor, freePort } from '../../scripts/lib/supervisor';
import { ROOT } from './tools';

export { freePort };

export interface RunningFerret {
  uri: (db: string) => string;
  port: number;
  /** The PostgreSQL FerretDB keeps its data in (database `ferretdb`), for tests that look beneath it. */
  pg: RunningPostgres;
  /** Folder with postgres.log and ferretdb.log, kept until stop. */
  logDir: string;
  stop: () => Promise<void>;
}

export async function startFerretDb(): Promise<RunningFerret> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-test-'));
  chmodSync(dir, 0o711); // the postgres OS user walks through it to its data folder
  let fatal: string | undefined;
  const supervisor = createSupervisor({ cwd: ROOT, logTo: { dir }, onFatal: (m) => (fatal = m) });
  const stop = async () => {
    await supervisor.stopAll();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [pgPort, port] = [await freePort(), await freePort()];
    const pg = await startPostgres({ supervisor, dataDir: path.join(dir, 'pg'), port: pgPort, portEnv: 'none', databases: ['ferretdb'], ephemeral: true });
    const ferret = await runFerret({ supervisor, port, postgresqlUrl: pg.url('ferretdb') });
    if (fatal) throw new Error(fatal);
    return { uri: ferret.uri, port, pg, logDir: dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
