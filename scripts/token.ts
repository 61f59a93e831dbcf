// Prints a development JWT for the given roles, signed with AUTH_JWT_SECRET or the start command's .data/dev-jwt-secret.
import { SignJWT } from 'jose';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '../domain/roles';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const branch = opt('branch');
  const sub = opt('sub') ?? 'dev-staff';
  const roles = args.length ? args : ['assistant'];
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length) throw new Error(`unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  const secret = process.env.AUTH_JWT_SECRET ?? readFileSync(path.resolve(__dirname, '../.data/dev-jwt-secret'), 'utf8').trim();
  const token = await new SignJWT({ name: `Dev ${sub}`, roles: roles as Role[], ...(branch ? { branch } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(secret));
  console.log(token);
}

main().catch((err: Error) => {
  console.error(`token: ${err.message}`);
  process.exit(1);
});
