// The one place that starts and stops the embedded PostgreSQL 15 (npm start, npm run cluster, tests), as an unprivileged user.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { portInUse, StartError, type Supervisor } from './supervisor';

const run = promisify(execFile);
export const PG_BIN_DIR = process.env.POSTGRES_BIN_DIR || '/usr/lib/postgresql/15/bin';
/** OS users PostgreSQL may run as when we are root: Debian's own, else the one scripts/install.sh creates. */
const PG_OS_USERS = ['postgres', 'service-cases-pg'];
export const PG_USER = 'service_cases';

export interface PostgresOptions {
  /** Cluster directory (initdb runs once when it has no PG_VERSION). */
  dataDir: string;
  port: number;
  /** Environment variable that moves the port, named in the "port in use" line. */
  portEnv: string;
  databases: string[];
  supervisor: Supervisor;
  name?: string;
  /** Throwaway data (tests): no fsync, so a suite is not bound by the disk. */
  ephemeral?: boolean;
}

export interface RunningPostgres {
  port: number;
  user: string;
  password: string;
  url: (db: string) => string;
}

interface OsUser {
  uid: number;
  gid: number;
  name: string;
}

/** The unprivileged user to run as, or undefined when we are not root (then we run as ourselves). */
function osUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of PG_OS_USERS) {
    try {
      const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()));
      return { uid: uid!, gid: gid!, name };
    } catch {
      // not on this machine; try the next
    }
  }
  throw new StartError('PostgreSQL', 'it refuses to run as root and no postgres OS user exists', 'run bash scripts/install.sh as root (it creates one)');
}

/** The command line that runs a PostgreSQL binary as the unprivileged user. */
function asUser(user: OsUser | undefined, bin: string, args: string[]): [string, string[]] {
  const exe = path.join(PG_BIN_DIR, bin);
  if (!user) return [exe, args];
  return ['setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--', exe, ...args]];
}

/** Lets the user walk down to the data directory (a fresh clone under a 0700 mktemp dir would stop it). */
function ensureReachable(dir: string, user: OsUser): void {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const st = statSync(d);
    if (st.uid !== user.uid && (st.mode & 0o001) === 0) {
      chmodSync(d, st.mode | 0o001);
      console.log(`postgres: made ${d} traversable (o+x) so the ${user.name} OS user can reach ${dir}`);
    }
    if (d === path.dirname(d)) break;
  }
}

function passwordFor(dataDir: string): string {
  const file = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-password`);
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The PID of a postmaster that still runs on this data directory (an earlier start that was not stopped). */
function runningPostmaster(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function initdb(opts: PostgresOptions, user: OsUser | undefined, password: string): void {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pwFile = path.join(path.dirname(opts.dataDir), `.initdb-pw-${process.pid}`);
  writeFileSync(pwFile, password, { mode: 0o600 });
  if (user) {
    chownSync(opts.dataDir, user.uid, user.gid);
    chownSync(pwFile, user.uid, user.gid);
  }
  const [cmd, args] = asUser(user, 'initdb', [
    '-D', opts.dataDir, '-U', PG_USER, '--pwfile', pwFile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C', '--no-instructions',
  ]);
  try {
    execFileSync(cmd, args, { cwd: path.dirname(opts.dataDir), stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const why = String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n').pop();
    throw new StartError('PostgreSQL', `initdb failed (${why})`, `remove ${opts.dataDir} and start again`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** Runs one SQL statement in `db` as the project's PostgreSQL user; the rows come back one per line, columns split by |. */
export async function runSql(pg: RunningPostgres, db: string, query: string): Promise<string> {
  const { stdout } = await run(path.join(PG_BIN_DIR, 'psql'), ['-h', '127.0.0.1', '-p', String(pg.port), '-U', pg.user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-tAqc', query], {
    env: { ...process.env, PGPASSWORD: pg.password, PGCONNECT_TIMEOUT: '5' },
  });
  return stdout.trim();
}

/** Starts PostgreSQL under the supervisor, waits until it answers, and creates the databases that are missing. */
export async function startPostgres(opts: PostgresOptions): Promise<RunningPostgres> {
  const name = opts.name ?? 'postgres';
  if (!existsSync(path.join(PG_BIN_DIR, 'postgres'))) {
    throw new StartError('PostgreSQL', `no PostgreSQL 15 in ${PG_BIN_DIR}`, 'run bash scripts/install.sh as root (apt-get install postgresql-15) or set POSTGRES_BIN_DIR');
  }
  const user = osUser();
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  if (user) ensureReachable(opts.dataDir, user);
  const password = passwordFor(opts.dataDir);
  const stale = runningPostmaster(opts.dataDir);
  if (stale) {
    throw new StartError('PostgreSQL', `an earlier server (pid ${stale}) still runs on ${opts.dataDir}`, `stop it: kill -INT ${stale}`);
  }
  if (await portInUse(opts.port)) {
    throw new StartError('PostgreSQL', `port ${opts.port} is already in use`, `stop whatever listens on it, or set ${opts.portEnv} to a free port`);
  }
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) initdb(opts, user, password);
  else if (user && statSync(opts.dataDir).uid !== user.uid) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, opts.dataDir]);

  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=300', 'log_min_messages=warning'];
  if (opts.ephemeral) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const [cmd, args] = asUser(user, 'postgres', ['-D', opts.dataDir, '-p', String(opts.port), ...settings.flatMap((s) => ['-c', s])]);
  // SIGINT is PostgreSQL's fast shutdown, exactly what `pg_ctl stop -m fast` sends.
  opts.supervisor.start({ name, cmd, args, cwd: path.dirname(opts.dataDir), tier: 3, stopSignal: 'SIGINT' });

  const pg: RunningPostgres = {
    port: opts.port,
    user: PG_USER,
    password,
    url: (db) => `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${db}`,
  };
  const sql = (q: string) =>
    run(path.join(PG_BIN_DIR, 'psql'), ['-h', '127.0.0.1', '-p', String(opts.port), '-U', PG_USER, '-d', 'postgres', '-tAqc', q], {
      env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '3' },
    }).then((r) => r.stdout.trim());
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await sql('select 1');
      break;
    } catch (err) {
      const fatal = opts.supervisor.lastLines(name).find((l) => /FATAL|PANIC/.test(l));
      if (!opts.supervisor.isAlive(name) || Date.now() > until) {
        const why = fatal ?? String((err as { stderr?: string }).stderr ?? err).trim().split('\n')[0];
        throw new StartError('PostgreSQL', `did not start (${why})`, `correct what that line names (data folder ${opts.dataDir})`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  for (const db of opts.databases) {
    if ((await sql(`select 1 from pg_database where datname = '${db}'`)) !== '1') await sql(`create database "${db}"`);
  }
  return pg;
}
