// One year of China's public holidays and make-up working days (调休) as the policy calendar writes them.
export { chineseCalendarYear } from '../db/calendar-store';
