// One year of China's public holidays and make-up working days (调休) as the policy calendar writes them.
import data from 'chinese-days/dist/chinese-days.json';

export function chineseCalendarYear(year: number): { publicHolidays: { date: string; name: string }[]; makeUpWorkingDays: string[] } {
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const name = (v: string) => v.split(',')[0]!;
  return {
    publicHolidays: Object.entries(data.holidays as Record<string, string>)
      .filter(([d]) => inYear(d))
      .map(([date, v]) => ({ date, name: name(v) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    makeUpWorkingDays: Object.keys(data.workdays as Record<string, string>).filter(inYear).sort(),
  };
}
