// The center's measures of DOMAIN.md section 4, from counts only: every figure is a countDocuments over plain filters,
// which FerretDB and MongoDB both answer (no $expr, $lookup, $facet or exotic $group).
import type { Policy } from '../domain/policy';
import type { Models } from './models';

export interface KpiRange {
  from: Date;
  to: Date;
  branch?: string;
}

export interface Kpi {
  key: string;
  title: string;
  numerator: number;
  denominator: number;
  /** Percent for rates; a plain count where the target is a count (major complaints). */
  value: number | null;
  unit: 'percent' | 'count';
  target: { op: '<' | '<=' | '>' | '>=' | '='; value: number };
  met: boolean | null;
}

const DAY_MS = 86_400_000;

function compare(value: number, t: Kpi['target']): boolean {
  switch (t.op) {
    case '<':
      return value < t.value;
    case '<=':
      return value <= t.value;
    case '>':
      return value > t.value;
    case '>=':
      return value >= t.value;
    case '=':
      return value === t.value;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function computeKpis(models: Models, policy: Policy, range: KpiRange): Promise<Kpi[]> {
  const { Complaint, Callback, Contract } = models;
  const within = (field: string) => ({ [field]: { $gte: range.from, $lt: range.to } });
  const scope = range.branch ? { branch: range.branch } : {};
  const count = (model: typeof Complaint | typeof Callback | typeof Contract, filter: Record<string, unknown>) =>
    (model as typeof Complaint).countDocuments({ ...scope, ...filter });

  const opened = within('createdAt');
  const closed = within('closedAt');
  const resolved = within('resolvedAt');
  const due = { ...within('dueAt'), status: { $ne: 'cancelled' } };
  const postRepair = { ...due, kind: 'post_repair' };

  const [
    validComplaints,
    customers,
    answeredOnTime,
    complaintsOpened,
    calledBack,
    complaintsClosed,
    surveySatisfied,
    surveysRecorded,
    repairCalls,
    repairCallsReached,
    repairCallsSatisfied,
    callbacksOnTime,
    callbacksDue,
    major,
    within24h,
    complaintsResolved,
  ] = await Promise.all([
    count(Complaint, { ...opened, valid: true, kind: { $in: ['customer', 'repair'] } }),
    count(Contract, { contractSignedAt: { $lt: range.to }, phase: { $ne: 'cancelled' } }),
    count(Complaint, { ...opened, firstCallbackOnTime: true }),
    count(Complaint, opened),
    count(Complaint, { ...closed, followUps: { $gte: 1 } }),
    count(Complaint, closed),
    count(Complaint, { ...closed, surveySatisfied: true }),
    count(Complaint, { ...closed, surveySatisfied: { $in: [true, false] } }),
    count(Callback, postRepair),
    count(Callback, { ...postRepair, status: 'done' }),
    count(Callback, { ...postRepair, outcome: 'satisfied' }),
    count(Callback, { ...due, onTime: true }),
    count(Callback, due),
    count(Complaint, { ...opened, severity: 'major' }),
    count(Complaint, { ...resolved, handlingMs: { $lte: DAY_MS } }),
    count(Complaint, resolved),
  ]);

  const t = policy.kpiTargets;
  const rate = (key: string, title: string, numerator: number, denominator: number): Kpi => {
    const target = t[key] ?? { op: '>=', value: 100 };
    const value = denominator === 0 ? null : round2((numerator / denominator) * 100);
    return { key, title, numerator, denominator, value, unit: 'percent', target, met: value === null ? null : compare(value, target) };
  };
  const majorTarget = t.majorComplaints ?? { op: '=', value: 0 };
  return [
    rate('validComplaintRate', 'Valid complaints per customer', validComplaints, customers),
    rate('complaintsAnsweredOnTime', 'Complaints answered on time', answeredOnTime, complaintsOpened),
    rate('complaintsCalledBack', 'Complaints called back after handling', calledBack, complaintsClosed),
    rate('complaintSatisfaction', 'Satisfied among surveyed complaints', surveySatisfied, surveysRecorded),
    rate('serviceRequestsCalledBack', 'Service (repair) requests called back', repairCallsReached, repairCalls),
    rate('serviceRequestSatisfaction', 'Satisfied among called-back service requests', repairCallsSatisfied, repairCallsReached),
    rate('callbacksOnTime', 'Callbacks made on time ("qualified")', callbacksOnTime, callbacksDue),
    {
      key: 'majorComplaints',
      title: 'Major complaints',
      numerator: major,
      denominator: complaintsOpened,
      value: major,
      unit: 'count',
      target: majorTarget,
      met: compare(major, majorTarget),
    },
    rate('handlingCycleWithin24h', 'Complaints handled within the 24 h cycle', within24h, complaintsResolved),
  ];
}
