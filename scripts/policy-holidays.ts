// Fills a policy document's calendar for the given years from `chinese-days` (maintained State Council holiday data).
// Usage: npm run policy:holidays -- [--file config/policy.default.json] 2026 2027
import { readFileSync, writeFileSync } from 'node:fs';
import { parsePolicy } from '../config/policy';
import { chineseCalendarYear } from './chinese-calendar';

function main(): void {
  const args = process.argv.slice(2);
  const i = args.indexOf('--file');
  const file = i >= 0 ? args.splice(i, 2)[1]! : 'config/policy.default.json';
  const years = args.map(Number);
  if (!years.length || years.some((y) => !Number.isInteger(y))) throw new Error('name the years to fill, e.g. 2026 2027');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  for (const year of years) {
    const data = chineseCalendarYear(year);
    if (!data.publicHolidays.length) throw new Error(`chinese-days has no data for ${year} yet; update the package first`);
    const other = (d: string) => !d.startsWith(`${year}-`);
    doc.calendar.publicHolidays = [...doc.calendar.publicHolidays.filter((h: { date: string }) => other(h.date)), ...data.publicHolidays].sort(
      (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date),
    );
    doc.calendar.makeUpWorkingDays = [...doc.calendar.makeUpWorkingDays.filter(other), ...data.makeUpWorkingDays].sort();
  }
  parsePolicy(doc, file);
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log(`${file}: calendar filled for ${years.join(', ')}; bump "version" if cases should tell the change apart`);
}

try {
  main();
} catch (err) {
  console.error(`policy:holidays: ${(err as Error).message}`);
  process.exit(1);
}
