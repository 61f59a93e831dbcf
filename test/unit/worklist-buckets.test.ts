// Due-day buckets and scope keys: local day boundaries in the policy zone (and a DST zone), which scopes an item is under.
import { describe, expect, it } from 'vitest';
import { dueBucket, hourSpan, itemKeys, itemPrefixes, readerPrefixes } from '../../domain/worklist-buckets';

describe('due buckets', () => {
  it('cut days at local midnight of the zone: 23:59:59 in Shanghai is that day, 00:00 the next', () => {
    expect(dueBucket(Date.parse('2026-12-02T15:59:59.999Z'), 'Asia/Shanghai')).toEqual({
      day: '2026-12-02',
      from: new Date('2026-12-01T16:00:00.000Z'),
      to: new Date('2026-12-02T16:00:00.000Z'),
    });
    expect(dueBucket(Date.parse('2026-12-02T16:00:00.000Z'), 'Asia/Shanghai').day).toBe('2026-12-03');
    // The same instant is still 2 December in UTC: the zone decides the bucket, not the instant alone.
    expect(dueBucket(Date.parse('2026-12-02T16:00:00.000Z'), 'UTC').day).toBe('2026-12-02');
  });

  it('keep a 23-hour and a 25-hour day whole across DST changes', () => {
    const spring = dueBucket(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3_600_000);
    const fall = dueBucket(Date.parse('2026-11-01T12:00:00Z'), 'America/New_York');
    expect(fall.to.getTime() - fall.from.getTime()).toBe(25 * 3_600_000);
    expect(dueBucket(fall.to.getTime() - 1, 'America/New_York').day).toBe('2026-11-01');
  });
});

describe('scope keys', () => {
  const due = new Date('2026-12-02T01:00:00Z');
  it('put an open item under its own branch or any, its own slot or any, for each role', () => {
    expect(itemPrefixes({ open: true, roles: ['assistant', 'supervisor'], branch: 'north', assignee: 'a1', dueAt: due })).toEqual([
      'assistant|north|a1',
      'assistant|north|*',
      'assistant|*|a1',
      'assistant|*|*',
      'supervisor|north|a1',
      'supervisor|north|*',
      'supervisor|*|a1',
      'supervisor|*|*',
    ]);
    expect(itemPrefixes({ open: true, roles: ['triage' as never], branch: null, assignee: null, dueAt: due })).toContain('triage|~|-');
  });

  it('give a settled item, or one without roles or due time, no keys', () => {
    expect(itemKeys({ open: false, roles: ['assistant'], dueAt: due }, 'UTC').keys).toEqual([]);
    expect(itemKeys({ open: true, roles: [], dueAt: due }, 'UTC').keys).toEqual([]);
    expect(itemKeys({ open: true, roles: ['assistant'], dueAt: null }, 'UTC').keys).toEqual([]);
  });

  it('mark a bucket early when the item shows before its due day starts', () => {
    const started = new Date('2026-11-28T01:00:00Z');
    const { keys, buckets } = itemKeys({ open: true, roles: ['branch'], branch: 'north', dueAt: due, visibleFrom: started }, 'Asia/Shanghai');
    expect(keys[0]).toBe('branch|north|-|2026-12-02');
    expect(buckets.every((b) => b.early)).toBe(true);
    expect(itemKeys({ open: true, roles: ['assistant'], dueAt: due, visibleFrom: due }, 'UTC').buckets[0]!.early).toBe(false);
  });

  it('ask every role × branch × slot a reader holds', () => {
    expect(readerPrefixes(['assistant'], ['north', 'south'], ['a1', '-'])).toEqual([
      'assistant|north|a1',
      'assistant|north|-',
      'assistant|south|a1',
      'assistant|south|-',
    ]);
    expect(readerPrefixes(['supervisor', 'assistant'], undefined, undefined)).toEqual(['supervisor|*|*', 'assistant|*|*']);
  });

  it('split every-branch prefixes by hour of the due day, and keep one branch by day', () => {
    // 10:30 in Shanghai is the day's hour 10 (the day starts at 16:00 UTC the evening before).
    const due = new Date('2026-12-02T02:30:00Z');
    const { keys, buckets } = itemKeys({ open: true, roles: ['assistant'], branch: 'north', assignee: 'a1', dueAt: due, visibleFrom: due }, 'Asia/Shanghai');
    expect(keys).toEqual(['assistant|north|a1|2026-12-02', 'assistant|north|*|2026-12-02', 'assistant|*|a1|2026-12-02|10', 'assistant|*|*|2026-12-02|10']);
    expect(buckets.map((b) => b.hour)).toEqual([undefined, undefined, 10, 10]);
    expect(hourSpan(buckets[3]!, 10)).toEqual({ from: new Date('2026-12-02T02:00:00Z'), to: new Date('2026-12-02T03:00:00Z') });
  });

  it('end the last hour of a short DST day where the day ends', () => {
    const spring = dueBucket(Date.parse('2026-03-08T12:00:00Z'), 'America/New_York');
    expect(hourSpan(spring, 22).to).toEqual(spring.to);
    const last = itemKeys({ open: true, roles: ['assistant'], dueAt: new Date(spring.to.getTime() - 1) }, 'America/New_York');
    expect(last.buckets[3]!.hour).toBe(22);
  });
});
