// The center's measures of DOMAIN.md section 4, from counts only: every figure is a countDocuments over plain filters,
// which FerretDB and MongoDB both answer (no $expr, $lookup, $facet or exotic $group).
import { durationMs } from '../domain/duration';
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

/** Ids in pages small enough for one `$in`: a month of a large center stays a handful of queries. */
async function countIn(ids: string[], count: (page: string[]) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < ids.length; i += 1000) total += await count(ids.slice(i, i + 1000));
  return total;
}

/**
 * Every measure of DOMAIN.md section 4 for a window (and a branch); each definition is documented in docs/kpis.md
 * with its source line. Complaints are the customers' own (kind customer); repair requests are service requests.
 */
export async function computeKpis(models: Models, policy: Policy, range: KpiRange): Promise<Kpi[]> {
  const { Complaint, Callback, Contract, Task } = models;
  const within = (field: string, from = range.from, to = range.to) => ({ [field]: { $gte: from, $lt: to } });
  const scope = range.branch ? { branch: range.branch } : {};
  const count = (model: typeof Complaint | typeof Callback | typeof Contract, filter: Record<string, unknown>) =>
    (model as typeof Complaint).countDocuments({ ...scope, ...filter });

  const complaint = { kind: 'customer' };
  const opened = { ...complaint, ...within('createdAt') };
  const closed = { ...complaint, ...within('closedAt') };
  const resolved = { ...complaint, ...within('resolvedAt') };
  // A call waived at the customer's request is no late call of the center's.
  const due = { ...within('dueAt'), status: { $nin: ['cancelled', 'waived'] } };
  // A service request's call falls due a fixed delay after its repair: those due in the window are measured.
  const delay = durationMs(policy.complaint.postRepairCallback);
  const repairs = await Complaint.find(
    { ...scope, kind: 'repair', ...within('repairCompletedAt', new Date(range.from.getTime() - delay), new Date(range.to.getTime() - delay)) },
    { _id: 1 },
  ).lean();
  const repairIds = repairs.map((r) => r._id as string);
  const postRepair = (ids: string[], extra: Record<string, unknown> = {}) =>
    Callback.countDocuments({ kind: 'post_repair', complaintId: { $in: ids }, status: 'done', ...extra });
  // Without a registered contract the call is a plain task: it counts as made, but carries no outcome.
  const taskDone = (ids: string[]) => Task.countDocuments({ type: 'post_repair_callback', complaintId: { $in: ids }, status: 'done' });

  const [
    validComplaints,
    customers,
    answeredOnTime,
    complaintsOpened,
    followedUp,
    complaintsClosed,
    surveySatisfied,
    surveysRecorded,
    repairCallsMade,
    repairTasksDone,
    repairsSatisfied,
    repairsPassed,
    repairsClosed,
    callbacksOnTime,
    callbacksDue,
    major,
    withinCycle,
    complaintsResolved,
  ] = await Promise.all([
    count(Complaint, { ...opened, validConfirmed: true }),
    count(Contract, { contractSignedAt: { $lt: range.to }, phase: { $ne: 'cancelled' } }),
    // Answered: the promised answer in time where the case has the clock ([003] ch.6 §2); older cases by their first callback.
    count(Complaint, {
      ...opened,
      $or: [{ answeredOnTime: true }, { answeredOnTime: { $exists: false }, firstCallbackOnTime: true }, { externalAnsweredOnTime: true }],
    }),
    count(Complaint, opened),
    count(Complaint, { ...closed, followUps: { $gte: 1 } }),
    count(Complaint, closed),
    count(Complaint, { ...closed, surveySatisfied: true }),
    count(Complaint, { ...closed, surveySatisfied: { $in: [true, false] } }),
    countIn(repairIds, (ids) => postRepair(ids)),
    countIn(repairIds, taskDone),
    countIn(repairIds, (ids) => postRepair(ids, { outcome: 'satisfied' })),
    count(Complaint, { kind: 'repair', ...within('closedAt'), reopened: { $ne: true } }),
    count(Complaint, { kind: 'repair', ...within('closedAt') }),
    count(Callback, { ...due, onTime: true }),
    count(Callback, due),
    count(Complaint, { ...opened, severity: 'major' }),
    count(Complaint, { ...resolved, handlingMs: { $lte: durationMs(policy.reports.handlingCycle) } }),
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
    rate('complaintsCalledBack', 'Complaints called back after handling', followedUp, complaintsClosed),
    rate('complaintSatisfaction', 'Satisfied among surveyed complaints', surveySatisfied, surveysRecorded),
    rate('serviceRequestsCalledBack', 'Service (repair) requests called back', repairCallsMade + repairTasksDone, repairIds.length),
    rate('serviceRequestSatisfaction', 'Satisfied among called-back service requests', repairsSatisfied, repairCallsMade),
    rate('repairQuality', 'Repairs that held (closed, not reopened)', repairsPassed, repairsClosed),
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
    rate('handlingCycleWithin24h', 'Complaints handled within the handling cycle', withinCycle, complaintsResolved),
  ];
}

export interface KpiRows {
  kpis: Kpi[];
  branches: { branch: string; kpis: Kpi[] }[];
}

/** The whole center and one row per branch that has cases or contracts (branch staff read their own row only). */
export async function computeKpiRows(models: Models, policy: Policy, range: Omit<KpiRange, 'branch'>): Promise<KpiRows> {
  const names = new Set<string>([
    ...((await models.Contract.distinct('branch')) as string[]),
    ...((await models.Complaint.distinct('branch')) as (string | null)[]).filter((b): b is string => typeof b === 'string'),
  ]);
  const kpis = await computeKpis(models, policy, range);
  const branches = [];
  for (const branch of [...names].sort()) branches.push({ branch, kpis: await computeKpis(models, policy, { ...range, branch }) });
  return { kpis, branches };
}
