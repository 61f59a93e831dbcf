// Runs Schemathesis against a throwaway stack (bench/stack.ts: the `npm start` stack on free ports) with three tokens:
// every role with a branch, one role, none. Fails on any 5xx, response-schema violation or undocumented status.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { startStack } from './lib/throwaway-stack';
import { ROLES } from '../domain/roles';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.tools', 'hostile');
const EXAMPLES = process.env.HOSTILE_EXAMPLES ?? '15';
const MAX_TIME = process.env.HOSTILE_MAX_TIME ?? '150';

async function mint(secret: string, roles: readonly string[], branch?: string): Promise<string> {
  return new SignJWT({ name: 'Hostile Suite', roles: [...roles], ...(branch ? { branch } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`hostile-${roles.length}`)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

function run(name: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, '.tools/venv/bin/st'), args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('close', (code) => {
      writeFileSync(path.join(OUT, `${name}.log`), out);
      resolve({ code: code ?? 1, out });
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  const stack = await startStack(path.join(ROOT, 'config/policy.default.json'));
  let failed = false;
  const runs = { passed: 0, failed: 0 };
  try {
    const tokens: [string, string | undefined][] = [
      ['all-roles', await mint(stack.secret, ROLES, 'north')],
      ['one-role', await mint(stack.secret, ['assistant'], 'north')],
      ['no-token', undefined],
    ];
    for (const [name, token] of tokens) {
      const args = [
        'run',
        `${stack.api}/openapi.json`,
        '--url',
        stack.api,
        '--checks',
        'all',
        '-n',
        EXAMPLES,
        '--max-time',
        MAX_TIME,
        '-w',
        '1',
        '--seed',
        '15',
        // Patterned strings with a length cap (file names, media types) make Hypothesis filter often; that is not a defect.
        '--suppress-health-check',
        'filter_too_much',
        ...(token ? ['-H', `Authorization: Bearer ${token}`] : []),
      ];
      const t0 = Date.now();
      const { code, out } = await run(name, args);
      const summary = out
        .split('\n')
        // Each failure's operation (`___ POST /v1/… ___`) and status line (`[400] Bad Request:`) too, so CI shows what broke.
        .filter((l) => /test cases|operations|failures|errors|passed|failed|warnings|seed|\bST\d|\b5\d\d\b|^_{3,} |^\[\d{3}\]/i.test(l))
        .slice(-40);
      console.log(`\n== ${name}: exit ${code} in ${Math.round((Date.now() - t0) / 1000)} s (full log .tools/hostile/${name}.log)\n${summary.join('\n')}`);
      if (code !== 0) failed = true;
      runs[code === 0 ? 'passed' : 'failed']++;
    }
  } finally {
    await stack.stop();
  }
  console.log(`\ntest:hostile: ${failed ? 'FAILED' : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s`);
  // One Schemathesis run per token, as the plain closing line CI reads.
  console.log(`hostile: ${runs.passed} passed, ${runs.failed} failed`);
  if (failed) process.exit(1);
}

main().catch((err: Error) => {
  console.error(`test:hostile: ${err.stack ?? err.message}`);
  process.exit(1);
});
