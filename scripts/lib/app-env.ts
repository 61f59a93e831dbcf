// Settings npm start and npm run cluster share: port variables, the development signing key, the app processes' env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartError } from './supervisor';
import { DATA } from './tools';

/** A port from the environment, or the default; a bad value stops the start naming the variable. */
export function envPort(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new StartError('config', `${name}=${v} is not a port number`, `set ${name} to 1-65535`);
  return n;
}

/** AUTH_JWT_SECRET when set, else the development key generated once into .data/dev-jwt-secret. */
export function devSecret(dataDir = DATA): string {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Ctrl-C / SIGTERM / SIGHUP handling and the one-line failure report shared by the start scripts. */
export function foreground(label: string, stopAll: () => Promise<void>) {
  let exiting = false;
  let started = false;
  let died: string | undefined;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await stopAll();
    console.log(`${label}: everything stopped; data kept in .data/`);
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void exit(0));
  const fatal = (message: string): void => {
    if (exiting) return;
    // While starting, the start itself reports the failure (with the cause it can quote); later, say it here.
    if (!started) return void (died ??= message);
    console.error(`${label}: ${message}; stopping everything`);
    void exit(1);
  };
  return {
    /** True once the start should give up: stopping, or a process died while starting. */
    get aborted() {
      return exiting || died !== undefined;
    },
    fatal,
    run(main: () => Promise<void>): void {
      main().then(
        () => {
          started = true;
          if (died) fatal(died);
        },
        (err: Error) => {
          if (exiting) return;
          const specific = err instanceof StartError && !/aborted/.test(err.message);
          const line = specific ? err.message : died ? `${died}; read its lines above` : (err.stack ?? err.message);
          console.error(`${label}: ${line}`);
          void exit(1);
        },
      );
    },
  };
}
