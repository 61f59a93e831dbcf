// A remedy's defect label is staff text: it stays in MongoDB, the case compares defects by id, and the label joins back on read.
import { createHash, randomUUID } from 'node:crypto';
import { insertOnce, type Models } from '../../db/models';

/** One defect per case and label, whatever the spacing or case of the letters. */
const labelKey = (caseId: string, label: string) =>
  `${caseId}:${createHash('sha256').update(label.trim().replace(/\s+/g, ' ').toLowerCase()).digest('hex').slice(0, 32)}`;

/**
 * The id the workflow gets for a defect label, made once per case and label. A case whose remedies already name the
 * label itself (recorded before labels left Temporal) keeps the label, so repair-or-compensate still compares like with like.
 */
export async function defectId(models: Models, caseId: string, label: string, recorded: readonly { defect?: unknown }[] = []): Promise<string> {
  if (recorded.some((r) => r.defect === label)) return label;
  const _id = labelKey(caseId, label);
  await insertOnce(() =>
    models.Defect.updateOne(
      { _id },
      { $setOnInsert: { caseId, defectId: `D-${randomUUID().replace(/-/g, '').slice(0, 16)}`, label, createdAt: new Date() } },
      { upsert: true },
    ),
  );
  return (await models.Defect.findById(_id).lean())!.defectId;
}

/** Labels of every defect of these cases, by id; an id without a label (a label recorded in older cases) reads as itself. */
export async function defectLabels(models: Models, caseIds: readonly string[]): Promise<(id: unknown) => unknown> {
  const found = caseIds.length ? await models.Defect.find(caseIds.length === 1 ? { caseId: caseIds[0] } : { caseId: { $in: caseIds } }).lean() : [];
  const byId = new Map(found.map((d) => [d.defectId, d.label]));
  return (id) => (typeof id === 'string' ? (byId.get(id) ?? id) : id);
}

/** Remedies (or any entries with a defect) with their labels back. */
export function withLabels<T>(items: readonly T[], label: (id: unknown) => unknown): T[] {
  return items.map((r) => {
    const defect = (r as { defect?: unknown }).defect;
    return defect === undefined ? r : ({ ...r, defect: label(defect) } as T);
  });
}
