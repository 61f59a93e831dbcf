// The API over a loopback socket and a staff token, as the benchmark's load generator needs them (no test helpers).
import type { Express } from 'express';
import { SignJWT } from 'jose';
import type { AddressInfo, Server } from 'node:net';
import type { Role } from '../domain/roles';

export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-characters-long';

export function benchToken(roles: Role[]): Promise<string> {
  // Branch-scoped roles need a branch claim; the bench's cases use these branches.
  return new SignJWT({ name: 'Bench Staff', roles, branches: ['north', 'bench', 'b0', 'b1', 'b2', 'b3', 'b4'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`bench-${roles.join('-')}`)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(BENCH_SECRET));
}

export async function listen(app: Express) {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  async function call(method: string, path: string, opts: { token: string; body?: unknown; headers?: Record<string, string> }) {
    const res = await fetch(base + path, {
      method,
      headers: { ...opts.headers, authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }
  return { call, close: () => new Promise<void>((r) => server.close(() => r())) };
}
