import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../config/policy';
import { chineseCalendarYear } from '../../scripts/chinese-calendar';

describe('the shipped calendar', () => {
  it('matches the maintained chinese-days data for 2026, holidays and make-up working days alike', () => {
    const cal = loadPolicy().calendar;
    const data = chineseCalendarYear(2026);
    expect(cal.publicHolidays.filter((h) => h.date.startsWith('2026-'))).toEqual(data.publicHolidays);
    expect(cal.makeUpWorkingDays.filter((d) => d.startsWith('2026-'))).toEqual(data.makeUpWorkingDays);
    expect(data.publicHolidays).toHaveLength(33);
    expect(data.makeUpWorkingDays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });
});
