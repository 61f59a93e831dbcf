// Opaque page cursors (a sort instant and an id) shared by every list endpoint.
import { AppError } from './errors';

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new AppError('RULE_VIOLATED', 'cursor is not one this API returned', [
      { field: 'cursor', rule: 'opaque_cursor', message: 'pass nextCursor from the previous page unchanged' },
    ]);
  }
}
