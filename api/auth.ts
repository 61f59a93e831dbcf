// Bearer JWT (HS256) authentication; claims are validated with zod like any other input.
import { jwtVerify } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../domain/roles';
import { AppError } from './errors';

export const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  branch: z.string().min(1).optional(),
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
    return claims.data;
  };
}

export function requireRole(user: StaffUser, allowed: readonly Role[], what: string): void {
  if (!user.roles.some((r) => allowed.includes(r))) {
    throw new AppError('FORBIDDEN', `${what} needs one of the roles: ${allowed.join(', ')}`);
  }
}
