// Every workflow type the worker registers.
export { ComplaintCase } from './complaint.workflow';
export { RenovationCallbackSchedule } from './project.workflow';
export { KpiSummaryReport } from './kpi-summary.workflow';
