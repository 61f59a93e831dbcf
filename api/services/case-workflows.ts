// What both case services do with Temporal and MongoDB the same way: start-or-attach, keyed update ids, keyset pages.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { caseScope, HOTLINE_ROLES } from '../../domain/scope';
import type { StaffUser } from '../auth';
import { decodeCursor, encodeCursor } from '../cursor';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface StartCase<R, A> {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  input: A;
  staticSummary: string;
  /** The update sent with the start; it answers once the case has recorded its opening. */
  opened: UpdateDefinition<R, []>;
}

/** Starts the case (or reattaches to it) and waits until its opening is recorded; undefined once it has finished. */
/** The start of a case: a retry after a crash between the write and the start reattaches instead of starting a second case. */
function startOptions<A>(spec: Omit<StartCase<unknown, A>, 'opened'>) {
  return {
    taskQueue: spec.taskQueue,
    workflowId: spec.workflowId,
    args: [spec.input],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    staticSummary: spec.staticSummary,
  };
}

export async function startOrAttach<R, A>(client: Client, spec: StartCase<R, A>): Promise<R | undefined> {
  const startWorkflowOperation = new WithStartWorkflowOperation(spec.workflowType, startOptions(spec));
  try {
    return await client.workflow.executeUpdateWithStart(spec.opened, { startWorkflowOperation });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    throw err;
  }
}

/**
 * Starts the case, or finds it already started by an earlier try of the same request: answers once Temporal holds it
 * durably, without waiting for a worker (the case records its own opening). 'finished' when a closed case has the id.
 */
export async function startCase<A>(client: Client, spec: Omit<StartCase<unknown, A>, 'opened'>): Promise<'running' | 'finished'> {
  try {
    await client.workflow.start(spec.workflowType, startOptions(spec));
    return 'running';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'finished';
    throw err;
  }
}

/** The update id of a staff action: the same Idempotency-Key (and subject) gives the same id, so Temporal applies it once. */
export function actionUpdateId(action: string, idempotencyKey: string | undefined, subject?: string): string | undefined {
  if (!idempotencyKey) return undefined;
  return `${action}:${sha256(subject === undefined ? idempotencyKey : `${subject}:${idempotencyKey}`).slice(0, 32)}`;
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/**
 * One page in a stable order (a date field, then the id): the cursor continues strictly after the last item, so
 * no page skips or repeats a document even when many share the date.
 */
export async function keysetPage<D extends { _id: string }>(
  find: (filter: Record<string, unknown>, sort: Record<string, 1 | -1>, limit: number) => PromiseLike<D[]>,
  filters: Record<string, unknown>[],
  field: keyof D & string,
  order: 1 | -1,
  q: PageQuery,
): Promise<{ page: D[]; nextCursor: string | null }> {
  const all = [...filters];
  const cursor = decodeCursor(q.cursor);
  const after = order === 1 ? '$gt' : '$lt';
  if (cursor) all.push({ $or: [{ [field]: { [after]: cursor.at } }, { [field]: cursor.at, _id: { [after]: cursor.id } }] });
  const docs = await find(flatFilter(all), { [field]: order, _id: order }, q.limit + 1);
  const page = docs.slice(0, q.limit);
  const last = page[page.length - 1];
  return { page, nextCursor: docs.length > q.limit && last ? encodeCursor(last[field] as Date, last._id) : null };
}

/**
 * The conditions as one flat document where their fields do not collide (the same query for MongoDB): FerretDB pushes
 * top-level equalities down to PostgreSQL and its indexes, but not conditions nested in $and.
 */
export function flatFilter(filters: Record<string, unknown>[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const rest: Record<string, unknown>[] = [];
  for (const f of filters) {
    if (Object.keys(f).some((k) => k in flat)) rest.push(f);
    else Object.assign(flat, f);
  }
  return rest.length ? { ...flat, $and: rest } : flat;
}

/** The branch part of a list filter, from the one scope function: all branches, or the token's (plus unassigned cases for the hotline). */
export function scopeFilter(user: StaffUser, opts: { unassignedToHotline?: boolean } = {}): Record<string, unknown> | undefined {
  const scope = caseScope(user);
  if ('all' in scope) return undefined;
  const unassigned = opts.unassignedToHotline && user.roles.some((r) => HOTLINE_ROLES.includes(r));
  return unassigned ? { $or: [{ branch: { $in: scope.branches } }, { branch: null }] } : { branch: { $in: scope.branches } };
}

/** A list's filters: an equality per query field that is set, the branch asked for, and the branches the user may see. */
export function listFilter(
  user: StaffUser,
  branch: string | undefined,
  equals: Record<string, unknown>,
  opts: { unassignedToHotline?: boolean } = {},
): Record<string, unknown>[] {
  const filter = Object.entries(equals)
    .filter(([, v]) => Boolean(v))
    .map(([k, v]) => ({ [k]: v }));
  if (branch) filter.push({ branch });
  const scoped = scopeFilter(user, opts);
  if (scoped) filter.push(scoped);
  return filter;
}
