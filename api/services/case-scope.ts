// The one place the API asks which branches a user sees (domain/scope.ts); filters and checks derive from it.
import { caseScope } from '../../domain/scope';
import type { StaffUser } from '../auth';

/** The branches a user may see, or undefined for all. */
export function visibleBranches(user: StaffUser): string[] | undefined {
  const scope = caseScope(user);
  return 'all' in scope ? undefined : scope.branches;
}

/** A MongoDB filter on `branch` for the user's scope (narrowed by a requested branch); undefined when nothing narrows. */
export function branchFilter(user: StaffUser, requested?: string): Record<string, unknown> | undefined {
  const branches = visibleBranches(user);
  if (requested) return { branch: branches && !branches.includes(requested) ? { $in: [] } : requested };
  if (!branches) return undefined;
  // One branch as an equality: the database narrows by it through its index.
  return { branch: branches.length === 1 ? branches[0] : { $in: branches } };
}

/** Whether a case of `branch` is visible to the user (a case without a branch only to users who see all). */
export function sees(user: StaffUser, branch: string | null | undefined): boolean {
  const branches = visibleBranches(user);
  return !branches || (Boolean(branch) && branches.includes(branch!));
}
