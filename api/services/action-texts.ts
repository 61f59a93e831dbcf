// Staff free text stays in MongoDB: an action's notes and feedback text are split off before the workflow update and joined back on read.
import { insertOnce, type Models } from '../../db/models';

/** Fields of an action that are people's words, never ids, codes or times. */
const FREE_TEXT = ['notes', 'cause', 'action', 'responsible', 'reason'] as const;

/** The update argument without its free text, and the text (undefined when there is none). */
export function splitText<A extends object>(arg: A): { arg: A; text?: Record<string, string> } {
  const rest = { ...arg } as Record<string, unknown>;
  const text: Record<string, string> = {};
  for (const key of FREE_TEXT) {
    if (typeof rest[key] === 'string') {
      text[key] = rest[key] as string;
      delete rest[key];
    }
  }
  return { arg: rest as A, text: Object.keys(text).length ? text : undefined };
}

/** Keeps an action's text under its action id, once: a retry of the same action writes nothing new. */
export async function keepText(models: Models, caseId: string, ref: string, by: string, text: Record<string, string> | undefined): Promise<void> {
  if (!text) return;
  await insertOnce(() =>
    models.ActionText.updateOne({ _id: `${caseId}:${ref}` }, { $setOnInsert: { caseId, ref, by, createdAt: new Date(), text } }, { upsert: true }),
  );
}

/** Joins each case-file entry with the text of the action that recorded it; the action id itself is not shown. */
export async function joinText(models: Models, caseId: string): Promise<(data: Record<string, unknown>) => Record<string, unknown>> {
  const notes = await models.ActionText.find({ caseId }).lean();
  const byRef = new Map(notes.map((n) => [n.ref, n.text as Record<string, string>]));
  return (data) => {
    const { ref, ...rest } = data;
    const text = typeof ref === 'string' ? byRef.get(ref) : undefined;
    return text ? { ...rest, ...text } : rest;
  };
}

export interface ExternalContact {
  name: string;
  organization: string;
  program?: string;
  phone?: string;
  email?: string;
}

/** A regulator/media case's contact: one document per case beside the action texts, never joined into the history. */
export async function keepContact(models: Models, caseId: string, by: string, contact: ExternalContact): Promise<void> {
  await insertOnce(() =>
    models.ActionText.updateOne(
      { _id: `${caseId}:external-contact` },
      { $setOnInsert: { caseId, ref: 'external-contact', by, createdAt: new Date(), text: contact } },
      { upsert: true },
    ),
  );
}

export async function externalContact(models: Models, caseId: string): Promise<ExternalContact | undefined> {
  const doc = await models.ActionText.findById(`${caseId}:external-contact`).lean();
  return (doc?.text as ExternalContact | undefined) ?? undefined;
}
