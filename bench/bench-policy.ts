// The default policy shortened for a bench: a contract's first call `leadMs` after signing, overdue `gapMs` later.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContractPlan } from './storm';

export function benchPolicy(leadMs: number, gapMs: number): { file: string; plan: ContractPlan } {
  const policy = JSON.parse(readFileSync(path.join(__dirname, '../config/policy.default.json'), 'utf8'));
  const s = (ms: number) => `PT${Math.round(ms / 1000)}S`;
  policy.version = `${policy.version}-bench`;
  policy.callbacks.afterSigning = s(leadMs);
  policy.callbacks.reminderAfter = s(gapMs / 2);
  policy.callbacks.overdueAfter = s(gapMs);
  // Weekends and holidays would move calls to the next working day and spread the storm; the bench wants one instant.
  policy.calendar.weekends = [];
  policy.calendar.publicHolidays = [];
  policy.calendar.makeUpWorkdays = [];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy, null, 2));
  return { file, plan: { afterSigningMs: leadMs, overdueAfterMs: gapMs } };
}
