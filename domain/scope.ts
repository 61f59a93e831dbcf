// Which branches' cases a user sees. TEMPORARY stand-in for the branch-scoping work: the lead replaces it on merge.
import { branchScope } from './authority';
import type { Role } from './roles';

export type CaseScope = { all: true } | { branches: string[] };

/** A branch user sees their branch; any other user with a branch claim works that branch too; without a claim, all. */
export function caseScope(user: { roles: readonly Role[]; branch?: string }): CaseScope {
  const branch = branchScope(user) ?? user.branch;
  return branch ? { branches: [branch] } : { all: true };
}
