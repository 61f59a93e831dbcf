// What a case-file entry tells the KPIs, kept on the complaint so each measure stays a plain count (no $expr or $lookup).
export interface KpiFlagWrite {
  filter: Record<string, unknown>;
  set: Record<string, unknown>;
}

/** The complaint fields an entry sets for the measures of DOMAIN section 4, or undefined when it tells them nothing. */
export function kpiFlags(event: { type: string; at: string; by: string; data: Record<string, unknown> }): KpiFlagWrite | undefined {
  const d = event.data;
  // Validity is what triage decided, not the case's default: an untriaged complaint is not a valid one.
  if (event.type === 'triaged' && typeof d.valid === 'boolean') return { filter: {}, set: { validConfirmed: d.valid } };
  // A service request's repair is done when its feedback says so; its call back falls due from then.
  if (event.type === 'feedback' && typeof d.repairCompletedAt === 'string') return { filter: {}, set: { repairCompletedAt: new Date(d.repairCompletedAt) } };
  if (event.type === 'reopened') return { filter: {}, set: { reopened: true } };
  // An external complaint is answered when the decision makers sign it before its deadline hands it over unanswered.
  const first = { externalAnsweredOnTime: { $exists: false } };
  if (event.type === 'approval' && d.decision === 'regulator_media_case') return { filter: first, set: { externalAnsweredOnTime: true } };
  if (event.type === 'escalated' && d.reason === 'external_source_deadline') return { filter: first, set: { externalAnsweredOnTime: false } };
  return undefined;
}
