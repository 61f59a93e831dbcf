import { readFileSync } from 'node:fs';
import path from 'node:path';
import { policySchema, type Policy } from '../schemas/policy.schema';

export const DEFAULT_POLICY_FILE = path.join(__dirname, 'policy.default.json');

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Validates a policy document; every problem is reported with its JSON path. */
export function parsePolicy(doc: unknown, source = 'policy'): Policy {
  const result = policySchema.safeParse(doc);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new PolicyError(`invalid ${source}:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadPolicy(file: string = DEFAULT_POLICY_FILE): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyError(`cannot read policy ${file}: ${(err as Error).message}`);
  }
  return parsePolicy(raw, file);
}
