// Which branches a user sees and acts on: the one scope function every list, read, action, report and notification goes through.
import type { Role } from './roles';

export type CaseScope = { all: true } | { branches: string[] };

/**
 * Roles that work for particular branches: a branch office and the customer-service assistants serving it. The
 * supervisor (deputy head of the center, pushes every branch GM), director, engineering, hr, legal, the regional
 * president, the VP and admin work for the whole center (DOMAIN "People and roles"), so they see every branch.
 */
export const BRANCH_SCOPED_ROLES: readonly Role[] = ['assistant', 'branch'];

/** The hotline takes a complaint before anyone knows its branch; until triage assigns one its assistants see it. */
export const HOTLINE_ROLES: readonly Role[] = ['assistant', 'supervisor', 'director'];

export interface ScopedUser {
  roles: readonly Role[];
  branch?: string;
  branches?: readonly string[];
}

/** A user limited to branches: every role they hold is branch-scoped (one central role opens all branches). */
export function isBranchScoped(user: ScopedUser): boolean {
  return user.roles.length > 0 && user.roles.every((r) => BRANCH_SCOPED_ROLES.includes(r));
}

function claimedBranches(user: ScopedUser): string[] {
  return [...new Set([...(user.branch ? [user.branch] : []), ...(user.branches ?? [])])];
}

/** All branches, or the branches the token names (none when a branch-scoped token names none: it sees nothing). */
export function caseScope(user: ScopedUser): CaseScope {
  return isBranchScoped(user) ? { branches: claimedBranches(user) } : { all: true };
}

/** A branch-scoped token without a branch or branches claim is refused on every route. */
export function lacksBranchClaim(user: ScopedUser): boolean {
  return isBranchScoped(user) && claimedBranches(user).length === 0;
}

/** Whether a case of this branch (undefined: not yet assigned) is in the user's scope. */
export function inScope(user: ScopedUser, branch: string | null | undefined, opts: { unassignedToHotline?: boolean } = {}): boolean {
  const scope = caseScope(user);
  if ('all' in scope) return true;
  if (!branch) return Boolean(opts.unassignedToHotline) && user.roles.some((r) => HOTLINE_ROLES.includes(r));
  return scope.branches.includes(branch);
}
