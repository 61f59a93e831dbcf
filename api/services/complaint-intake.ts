// Complaint intake rules the HTTP schema cannot express, and the keys that make a repeated intake find the same case.
import { randomBytes } from 'node:crypto';
import { requiresNamedComplainant, type ComplaintKind } from '../../domain/complaint.rules';
import type { CreateComplaintBody } from '../../schemas/complaint.schema';
import { AppError } from '../errors';
import { sha256 } from './case-workflows';

/** Who chose the key: a client's Idempotency-Key and the system's own keys never collide. */
export type KeyScope = 'client' | 'callback';

/**
 * Same key, same complaint: the id derives from the Idempotency-Key, or is random without one. A client's key is
 * scoped to the caller (token sub), so another user sending the same key opens a case of their own.
 */
export function complaintIdFor(idempotencyKey: string | undefined, scope: KeyScope = 'client', subject?: string): string {
  const scoped = scope === 'client' && subject !== undefined ? `${subject}:${idempotencyKey}` : idempotencyKey;
  return `C-${idempotencyKey ? sha256(`complaint:${scope}:${scoped}`).slice(0, 16) : randomBytes(8).toString('hex')}`;
}

/** Hash of a request body that ignores key order, so a retry that serialises fields differently still matches. */
export function requestHashOf(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return sha256(JSON.stringify(canonical(value)));
}

/** A stable key for "the same customer" that needs no raw phone number in queries. */
export function customerKey(phone: string | undefined): string | undefined {
  const digits = phone?.replace(/\D/g, '');
  return digits ? sha256(`customer:${digits}`).slice(0, 32) : undefined;
}

/** Business rules at intake that the schema cannot express (staff and crew complaints need a named complainant). */
export function checkIntake(body: CreateComplaintBody): void {
  if (!requiresNamedComplainant(body.kind)) return;
  if (body.complainant.anonymous) {
    throw new AppError('REAL_NAME_REQUIRED', `a ${body.kind} complaint needs the complainant's real name and contact; anonymous ones are invalid`, [
      { field: 'complainant.anonymous', rule: 'real_name_required', message: 'must be false for staff and crew complaints' },
    ]);
  }
  const missing = (['accused', 'occurredAt', 'location'] as const).filter((f) => body[f] === undefined);
  if (missing.length) {
    throw new AppError(
      'DETAILS_REQUIRED',
      `a ${body.kind} complaint must say who is accused, when and where: missing ${missing.join(', ')}`,
      missing.map((field) => ({ field, rule: `required_for_${body.kind}`, message: `is required for a ${body.kind} complaint` })),
    );
  }
}

export function staticSummary(kind: ComplaintKind, body: CreateComplaintBody): string {
  return `Complaint (${kind}) via ${body.source}${body.branch ? `, branch ${body.branch}` : ''}${body.contractNo ? `, contract ${body.contractNo}` : ''}`;
}
