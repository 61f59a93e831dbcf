// The API of a test world on a free port, and the staff it signs in as: the setup every API test file shares.
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../../api/app';
import type { Role } from '../../domain/roles';
import type { CaseWorld } from './harness';
import { serve, testAppDeps, token } from './http';

type Served = Awaited<ReturnType<typeof serve>>;

/** North's assistant and branch, south's, and one of every central role (token sub `<role>-1`). */
const BRANCH_STAFF: Record<string, [Role, string, string]> = {
  assistant: ['assistant', 'a-north', 'north'],
  southAssistant: ['assistant', 'a-south', 'south'],
  branch: ['branch', 'b-north', 'north'],
  southBranch: ['branch', 'b-south', 'south'],
};
const CENTRAL: Role[] = ['supervisor', 'director', 'legal', 'vp', 'regional_president', 'executive', 'engineering', 'hr'];

/** Serves the world's API for the file's tests; `t[name]` is that staff member's bearer token; `open` files a complaint. */
export function useApi(w: CaseWorld): { readonly api: Served; t: Record<string, string>; open: (body?: object) => Promise<string> } {
  const t: Record<string, string> = {};
  let served: Served | undefined;
  beforeAll(async () => {
    served = await serve(createApp(testAppDeps(w.env, w.db.models, w.taskQueue)).app);
    for (const [name, [role, sub, branch]] of Object.entries(BRANCH_STAFF)) t[name] = await token([role], { sub, branch });
    for (const role of CENTRAL) t[role] = await token([role], { sub: `${role}-1` });
  });
  afterAll(async () => {
    await served?.close();
  });
  return {
    get api() {
      if (!served) throw new Error('the API is served from beforeAll on');
      return served;
    },
    t,
    /** North's assistant opens the complaint (a fresh customer's by default); answers its id. */
    async open(body: object = complaintBody()) {
      const res = await served!.call('POST', '/v1/complaints', { token: t.assistant, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    },
  };
}

let phoneSeq = 0;
/** A customer's complaint in branch north with a phone of its own, so no case is taken for a repeat complainant. */
export function complaintBody(patch: Record<string, unknown> = {}) {
  return {
    kind: 'customer',
    source: 'phone',
    branch: 'north',
    complainant: { name: 'Test Customer', phone: `1390${String(1_000_000 + phoneSeq++)}` },
    category: 'quality',
    description: 'Cracked tiles',
    severity: 'general',
    priority: 'high',
    ...patch,
  };
}
