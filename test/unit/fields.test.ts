// Shared field rules refuse what a hostile or careless client sends, and every year means itself in date arithmetic.
import { describe, expect, it } from 'vitest';
import { addDurationInZone } from '../../domain/calendar';
import { utc } from '../../domain/duration';
import { createComplaintBody, feedbackBody } from '../../schemas/complaint.schema';
import { createContractBody } from '../../schemas/contract.schema';
import { instant, pastInstant, text } from '../../schemas/fields.schema';

const complaint = {
  kind: 'customer',
  source: 'phone',
  complainant: { name: 'Wang', phone: '13800001111' },
  category: 'quality',
  description: 'Cracked tiles',
};
const fieldsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => [...new Set(r.error?.issues.map((i) => i.path.join('.')))];

describe('shared field rules', () => {
  it('refuses blank, NUL and bidi-override text and keeps ordinary text', () => {
    expect(text(50).safeParse('   ').success).toBe(false);
    expect(text(50).safeParse('a\u0000b').success).toBe(false);
    expect(text(50).safeParse('abc\u202Efdp.exe').success).toBe(false);
    expect(text(50).safeParse('厨房瓷砖开裂\n第二行').success).toBe(true);
  });

  it('refuses instants outside 2000-2099 and future ones where the past is meant', () => {
    expect(instant.safeParse('0055-04-18T00:00:00Z').success).toBe(false);
    expect(instant.safeParse('2999-01-01T00:00:00Z').success).toBe(false);
    expect(instant.safeParse('2026-05-01T08:00:00+08:00').success).toBe(true);
    expect(pastInstant(1).safeParse(new Date(Date.now() + 86_400_000).toISOString()).success).toBe(false);
    expect(pastInstant(1).safeParse(new Date(Date.now() - 2 * 366 * 86_400_000).toISOString()).success).toBe(false);
    expect(pastInstant(1).safeParse(new Date(Date.now() - 86_400_000).toISOString()).success).toBe(true);
  });

  it('names the field of a bad date in a complaint and in branch feedback', () => {
    expect(fieldsOf(createComplaintBody.safeParse({ ...complaint, occurredAt: '0001-01-01T00:00:00Z' }))).toEqual(['occurredAt']);
    expect(fieldsOf(feedbackBody.safeParse({ cause: 'c', action: 'a', responsible: 'r', repairCompletedAt: '0055-04-18T00:00:00Z' }))).toEqual([
      'repairCompletedAt',
    ]);
  });

  it('refuses unknown keys inside the complainant, as everywhere else', () => {
    expect(fieldsOf(createComplaintBody.safeParse({ ...complaint, complainant: { ...complaint.complainant, idCard: '1101' } }))).toEqual(['complainant']);
  });

  it('refuses a planned completion more than ten years after signing', () => {
    const body = {
      contractNo: 'HZ-2026-001',
      branch: 'north',
      customer: { name: 'Wang', phone: '13800001111' },
      contractSignedAt: new Date(Date.now() - 86_400_000).toISOString(),
      plannedCompletionAt: '2099-12-31T00:00:00Z',
    };
    expect(fieldsOf(createContractBody.safeParse(body))).toEqual(['plannedCompletionAt']);
  });
});

describe('utc', () => {
  it('keeps years 0-99 as themselves, unlike Date.UTC', () => {
    expect(new Date(utc(55, 3, 18)).toISOString()).toBe('0055-04-18T00:00:00.000Z');
    expect(utc(2026, 10, 25, 8, 30)).toBe(Date.UTC(2026, 10, 25, 8, 30));
  });

  it('adds months in a zone without jumping centuries for an early year', () => {
    const at = utc(55, 0, 31, 2);
    expect(new Date(addDurationInZone(at, 'P1M', 'UTC')).toISOString()).toBe('0055-02-28T02:00:00.000Z');
  });
});
