// Load check of `npm start`'s default stack: N intakes at C concurrent clients while the opened cases climb their ladders
// (a seconds policy), then 0 failures, 0 5xx and no lock error in any log. Run: npm run bench:load [-- rounds]
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { ROOT, DATA } from '../scripts/lib/tools';

const INTAKES = Number(process.env.BENCH_INTAKES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.argv[2] ?? 1);
const PORT = Number(process.env.BENCH_PORT ?? 3100);
const POLICY = process.env.POLICY_FILE ?? 'config/policy.demo-seconds.json';
const LOCK_ERRORS = /database is locked|SQLITE_BUSY|deadlock detected|could not obtain lock|lock timeout/i;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function bearer(): Promise<string> {
  const secret = readFileSync(path.join(DATA, 'dev-jwt-secret'), 'utf8').trim();
  return new SignJWT({ name: 'Bench', roles: ['assistant'], branch: 'north' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

async function round(n: number, token: string) {
  const tag = `${Date.now()}-${n}`;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = Date.now();
  const client = async () => {
    while (next < INTAKES) {
      const i = next++;
      const t0 = Date.now();
      const status = await fetch(`http://127.0.0.1:${PORT}/v1/complaints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${tag}-${i}` },
        body: JSON.stringify({
          kind: 'customer',
          source: 'phone',
          branch: 'north',
          category: 'quality',
          description: 'Cracked tiles',
          complainant: { name: `Bench ${i}`, phone: `137${String(n * 100000 + i).padStart(8, '0')}` },
        }),
      }).then(
        async (r) => {
          await r.text();
          return String(r.status);
        },
        (err: Error) => `error ${err.message}`,
      );
      latencies.push(Date.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const failures = INTAKES - (statuses['201'] ?? 0);
  const fivexx = Object.entries(statuses)
    .filter(([s]) => s.startsWith('5'))
    .reduce((a, [, c]) => a + c, 0);
  return {
    round: n,
    intakes: INTAKES,
    concurrency: CONCURRENCY,
    seconds,
    perSecond: +(INTAKES / seconds).toFixed(1),
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    statuses,
    failures,
    fivexx,
  };
}

async function main(): Promise<void> {
  const logFile = path.join(ROOT, '.data', `bench-intake-load.log`);
  const log = createWriteStream(logFile);
  const env = { ...process.env, POLICY_FILE: POLICY, PORT: String(PORT), LOG_LEVEL: 'warn' };
  const stack = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/dev-stack.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const up = new Promise<void>((resolve, reject) => {
    for (const s of [stack.stdout, stack.stderr])
      s.on('data', (d: Buffer) => {
        output += d;
        log.write(d);
        if (/Everything is up/.test(output)) resolve();
      });
    stack.once('exit', (code) => reject(new Error(`npm start's stack exited (${code}); see ${logFile}`)));
  });
  const stop = () => stack.exitCode === null && stack.kill('SIGINT');
  process.once('exit', stop);
  await up;
  const token = await bearer();
  const results = [];
  for (let n = 1; n <= ROUNDS; n++) {
    results.push(await round(n, token));
    console.log(JSON.stringify(results[results.length - 1]));
    // Let the cases opened so far climb their ladders for a while before the next round piles on.
    if (n < ROUNDS) await new Promise((r) => setTimeout(r, 30_000));
  }
  await new Promise((r) => setTimeout(r, 20_000)); // ladders keep stepping; any lock error would show in the log now
  stack.kill('SIGINT');
  await new Promise((r) => stack.once('exit', r));
  log.end();
  const lockLines = output.split('\n').filter((l) => LOCK_ERRORS.test(l));
  const errorLines = output.split('\n').filter((l) => /"level":(50|60)|\bERROR\b|FATAL/.test(l));
  console.log(JSON.stringify({ lockErrors: lockLines.length, errorLines: errorLines.length, firstError: errorLines[0]?.slice(0, 300), log: logFile }));
  const bad = results.some((r) => r.failures || r.fivexx) || lockLines.length;
  process.exit(bad ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
