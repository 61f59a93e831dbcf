// Bearer JWT (HS256) authentication; claims are validated with zod like any other input.
import { jwtVerify } from 'jose';
import { z } from 'zod';
import { expandRoles, ROLES, type Role } from '../domain/roles';
import { inScope, lacksBranchClaim } from '../domain/scope';
import { AppError } from './errors';

export const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  branch: z.string().min(1).optional(),
  /** An assistant serving several branches carries them all. */
  branches: z.array(z.string().min(1)).min(1).max(100).optional(),
});
export type StaffUser = z.infer<typeof claimsSchema>;

const CLOCK_SKEW_SEC = 120;
/** The longest a token may live (exp minus iat, or minus now without iat). */
const MAX_LIFETIME_SEC = 24 * 3600;

export function createAuthenticator(secret: string) {
  const key = new TextEncoder().encode(secret);
  return async function authenticate(header: string | undefined): Promise<StaffUser> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new AppError('UNAUTHENTICATED', 'an Authorization: Bearer <JWT> header is required');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1]!, key, { algorithms: ['HS256'], requiredClaims: ['exp'] }));
    } catch {
      throw new AppError('UNAUTHENTICATED', 'the bearer token is invalid or expired');
    }
    // A token from the future or one that lives for years is forged or mis-issued, even with a valid signature.
    const { iat, exp } = payload as { iat?: number; exp: number };
    const nowSec = Date.now() / 1000;
    if (iat !== undefined && iat > nowSec + CLOCK_SKEW_SEC) throw new AppError('UNAUTHENTICATED', 'the bearer token is issued in the future');
    if (exp - (iat ?? nowSec) > MAX_LIFETIME_SEC) throw new AppError('UNAUTHENTICATED', 'the bearer token lives longer than 24 hours');
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AppError('UNAUTHENTICATED', 'the bearer token lacks valid sub, name or roles claims');
    // An `executive` token (the name before the split) holds both the regional president's and the VP's authority.
    return { ...claims.data, roles: expandRoles(claims.data.roles) };
  };
}

export function requireRole(user: StaffUser, allowed: readonly Role[], what: string): void {
  if (!user.roles.some((r) => allowed.includes(r))) {
    throw new AppError('FORBIDDEN', `${what} needs one of the roles: ${allowed.join(', ')}`);
  }
  // A branch-scoped token that names no branch would otherwise see nothing, or (before) everything: it is refused.
  if (lacksBranchClaim(user)) {
    throw new AppError('BRANCH_CLAIM_REQUIRED', `the roles ${user.roles.join(', ')} work for branches: the token needs a branch or branches claim`);
  }
}

/** Refuses a body naming a branch outside the caller's scope (registering a contract, opening a complaint). */
export function requireBranch(user: StaffUser, branch: string | undefined, field = 'branch'): void {
  if (!inScope(user, branch, { unassignedToHotline: true })) {
    throw new AppError('OUTSIDE_BRANCH', `${field} ${branch ?? '(none)'} is not a branch this token serves`, [
      { field, rule: 'caller_branch', message: 'must be one of the branches of the token' },
    ]);
  }
}
