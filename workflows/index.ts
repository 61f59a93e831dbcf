// Every workflow type the worker registers.
export { ComplaintCase } from './complaint-case.workflow';
export { ContractCallbackSchedule } from './contract-schedule.workflow';
// The type name before the rename: running schedules and recorded histories replay under it (same code, same commands).
export { ContractCallbackSchedule as RenovationCallbackSchedule } from './contract-schedule.workflow';
export { KpiSummaryReport } from './kpi-summary.workflow';
export { CalendarReplan } from './calendar-replan.workflow';
