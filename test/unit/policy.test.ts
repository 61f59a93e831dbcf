// The versioned policy document: the shipped default loads, shortened copies validate, bad ones are named by JSON path.
import { describe, it, expect } from 'vitest';
import { DEFAULT_POLICY_FILE, loadPolicy, parsePolicy, PolicyError } from '../../config/policy';
import { durationMs, isIsoDuration } from '../../domain/duration';
import type { Policy } from '../../schemas/policy.schema';

const shipped = loadPolicy();

function copyWith(patch: (p: any) => void): unknown {
  const copy = structuredClone(shipped) as any;
  patch(copy);
  return copy;
}

/** The PolicyError message parsePolicy throws, or a failure if it accepted the document. */
function rejection(doc: unknown, source?: string): string {
  try {
    parsePolicy(doc, source);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as Error).name).toBe('PolicyError');
    return (err as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

/** Replaces every ISO duration string anywhere in the document. */
function mapDurations(value: unknown, to: (d: string) => string): unknown {
  if (typeof value === 'string') return isIsoDuration(value) ? to(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapDurations(v, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapDurations(v, to)]));
  }
  return value;
}

describe('config/policy.default.json', () => {
  it('loads from the default path', () => {
    expect(DEFAULT_POLICY_FILE).toMatch(/config[\\/]policy\.default\.json$/);
    expect(shipped.version).toBe('2026.4');
  });

  it('has the company default deadlines', () => {
    expect(shipped.complaint.priorityDeadlines).toEqual({ high: 'PT24H', medium: 'PT48H', low: 'PT72H' });
    expect(shipped.complaint.firstCallback).toBe('PT3M');
    expect(shipped.complaint.branchFeedback).toBe('PT24H');
    expect(shipped.complaint.externalToLegal).toBe('PT24H');
    expect(shipped.complaint.repairAnswer).toBe('PT24H');
    expect(durationMs(shipped.complaint.firstCallback)).toBe(180_000);
  });

  it('has the four-round ladder ending with the director', () => {
    expect(shipped.complaint.rounds.map((r) => r.level)).toEqual(['assistant', 'assistant', 'supervisor', 'director']);
    expect(shipped.complaint.severityLevel).toEqual({ general: 'assistant', serious: 'supervisor', major: 'director' });
  });

  it('has the callback schedule, allowance and calendar of DOMAIN.md', () => {
    expect(shipped.callbacks.afterSigning).toBe('P5D');
    expect(shipped.callbacks.afterWorkStart).toEqual(['P10D', 'P25D']);
    expect(shipped.callbacks.constructionInterval).toBe('P15D');
    expect(shipped.callbacks.warrantyInterval).toBe('P1M');
    expect(shipped.complaint.postRepairCallback).toBe('P3D');
    expect(shipped.complaint.surveyAfterClose).toBe('P7D');
    expect(shipped.complaint.validComplaintAllowance).toBe(50);
    expect(shipped.calendar.timeZone).toBe('Asia/Shanghai');
    expect([...shipped.calendar.weekends].sort()).toEqual([0, 6]);
  });

  it('is a fixed point of parsePolicy', () => {
    expect(parsePolicy(structuredClone(shipped))).toEqual(shipped);
  });

  it('reports an unreadable file as a PolicyError', () => {
    expect(() => loadPolicy('/nonexistent/policy.json')).toThrow(PolicyError);
    expect(() => loadPolicy('/nonexistent/policy.json')).toThrow(/cannot read policy \/nonexistent\/policy\.json/);
  });
});

describe('shortened policies', () => {
  it('accepts a copy with every duration in seconds', () => {
    const doc = mapDurations(shipped, () => 'PT5S') as Policy;
    doc.complaint.externalWarningBefore = 'PT2S'; // a warning must come before the clock it warns of runs out
    const parsed = parsePolicy(doc);
    expect(parsed.complaint.firstCallback).toBe('PT5S');
    expect(parsed.complaint.priorityDeadlines.low).toBe('PT5S');
    expect(parsed.callbacks.warrantyInterval).toBe('PT5S');
    expect(parsed.callbacks.afterWorkStart).toEqual(['PT5S', 'PT5S']);
    expect(durationMs(parsed.complaint.repeatWindow)).toBe(5000);
    // The version and the calendar dates are not durations and stay put.
    expect(parsed.version).toBe(shipped.version);
    expect(parsed.calendar.publicHolidays).toEqual(shipped.calendar.publicHolidays);
  });

  it('accepts fractional seconds', () => {
    expect(parsePolicy(copyWith((p) => (p.complaint.firstCallback = 'PT0.5S'))).complaint.firstCallback).toBe('PT0.5S');
  });
});

describe('rejected policies', () => {
  it("names 'complaint.firstCallback' for a duration like 'five days'", () => {
    const msg = rejection(copyWith((p) => (p.complaint.firstCallback = 'five days')));
    expect(msg).toMatch(/^\s*complaint\.firstCallback: /m);
    expect(msg).not.toMatch(/repairAnswer/);
  });

  it('rejects P1M where a fixed duration is required, with the JSON path', () => {
    expect(rejection(copyWith((p) => (p.complaint.repeatWindow = 'P1M')))).toMatch(/complaint\.repeatWindow: .*fixed length/);
    expect(rejection(copyWith((p) => (p.complaint.priorityDeadlines.high = 'P1M')))).toMatch(/complaint\.priorityDeadlines\.high: /);
    expect(rejection(copyWith((p) => (p.callbacks.overdueAfter = 'P1Y')))).toMatch(/callbacks\.overdueAfter: /);
  });

  it('allows calendar months where the schedule needs them but not malformed ones', () => {
    expect(parsePolicy(copyWith((p) => (p.callbacks.afterCompletion = 'P1M'))).callbacks.afterCompletion).toBe('P1M');
    expect(rejection(copyWith((p) => (p.callbacks.afterSigning = 'P')))).toMatch(/callbacks\.afterSigning: .*ISO-8601/);
    expect(rejection(copyWith((p) => (p.callbacks.afterWorkStart = ['P10D', '5D'])))).toMatch(/callbacks\.afterWorkStart\.1: /);
  });

  it('lists every problem, each with its path', () => {
    const msg = rejection(
      copyWith((p) => {
        p.complaint.firstCallback = 'five days';
        p.complaint.triage = 'P1.5D';
        p.callbacks.notReachedRetry = 'PT';
      }),
    );
    expect(msg).toMatch(/complaint\.firstCallback: /);
    expect(msg).toMatch(/complaint\.triage: /);
    expect(msg).toMatch(/callbacks\.notReachedRetry: /);
    expect(msg.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(3);
  });

  it('names the source in the message', () => {
    expect(
      rejection(
        copyWith((p) => (p.version = '')),
        'policy.demo.json',
      ),
    ).toMatch(/^invalid policy\.demo\.json:\n {2}version: /);
  });

  it('rejects rounds out of order or with gaps', () => {
    const swapped = copyWith((p) => (p.complaint.rounds = [p.complaint.rounds[1], p.complaint.rounds[0], ...p.complaint.rounds.slice(2)]));
    expect(rejection(swapped)).toMatch(/complaint\.rounds: rounds must be numbered 1, 2, 3/);
    expect(
      rejection(
        copyWith(
          (p) =>
            (p.complaint.rounds = [
              { round: 1, level: 'assistant' },
              { round: 3, level: 'director' },
            ]),
        ),
      ),
    ).toMatch(/complaint\.rounds: rounds must be numbered/);
    expect(rejection(copyWith((p) => (p.complaint.rounds[0].round = 0)))).toMatch(/complaint\.rounds\.0\.round: /);
  });

  it('rejects a decision-clock warning no shorter than the clock itself', () => {
    expect(rejection(copyWith((p) => (p.complaint.externalWarningBefore = p.complaint.externalToLegal)))).toMatch(
      /complaint\.externalWarningBefore: must be shorter than externalToLegal/,
    );
    expect(parsePolicy(copyWith((p) => (p.complaint.externalWarningBefore = 'PT1M'))).complaint.externalWarningBefore).toBe('PT1M');
  });

  it('rejects an empty ladder and unknown levels', () => {
    expect(rejection(copyWith((p) => (p.complaint.rounds = [])))).toMatch(/complaint\.rounds: /);
    expect(rejection(copyWith((p) => (p.complaint.rounds[3].level = 'president')))).toMatch(/complaint\.rounds\.3\.level: /);
  });

  it('rejects a bad time zone', () => {
    expect(rejection(copyWith((p) => (p.calendar.timeZone = 'Mars/Olympus_Mons')))).toMatch(/calendar\.timeZone: .*IANA time zone/);
    expect(rejection(copyWith((p) => (p.calendar.timeZone = '')))).toMatch(/calendar\.timeZone: /);
    expect(parsePolicy(copyWith((p) => (p.calendar.timeZone = 'Europe/Berlin'))).calendar.timeZone).toBe('Europe/Berlin');
  });

  it('rejects other malformed values by path', () => {
    expect(rejection(copyWith((p) => (p.complaint.warningFractions = [0.5, 1])))).toMatch(/complaint\.warningFractions\.1: /);
    expect(rejection(copyWith((p) => (p.calendar.weekends = [7])))).toMatch(/calendar\.weekends\.0: /);
    expect(rejection(copyWith((p) => (p.calendar.publicHolidays[0].date = '2026-1-1')))).toMatch(/calendar\.publicHolidays\.0\.date: /);
    expect(rejection(copyWith((p) => (p.complaint.currency = 'RMB1')))).toMatch(/complaint\.currency: /);
    expect(rejection(copyWith((p) => delete p.version))).toMatch(/^\s*version: /m);
    expect(rejection(copyWith((p) => (p.kpiTargets.majorComplaints.value = 101)))).toMatch(/kpiTargets\.majorComplaints\.value: /);
  });

  it('rejects something that is not a policy at all', () => {
    expect(rejection(null)).toMatch(/^invalid policy:/);
    expect(rejection('PT5S')).toMatch(/^invalid policy:/);
  });
});
