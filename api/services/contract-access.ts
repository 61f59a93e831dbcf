// What every contract service does first: find the contract the caller may see, and run a keyed action once.
import type { Models } from '../../db/models';
import { inScope } from '../../domain/scope';
import type { StaffUser } from '../auth';
import { AppError } from '../errors';
import { type Idempotency, keyReused } from '../idempotency';
import { requestHashOf } from './complaint-intake';
import type { ContractDocLean } from './contract-views';

/** The contract, or 404 when it does not exist or lies outside the caller's branches (never saying which). */
export async function findVisibleContract(models: Models, contractNo: string, user: StaffUser): Promise<ContractDocLean> {
  const doc = await models.Contract.findById(contractNo).lean();
  if (!doc || !inScope(user, doc.branch)) throw new AppError('NOT_FOUND', `contract ${contractNo} not found`);
  return doc;
}

/** keyed(scope, user, key, body, run): once per caller and Idempotency-Key; a repeat gets the first answer, another body a 409. */
export function keyedRunner(once: Idempotency) {
  return async function keyed<T>(scope: string, user: StaffUser, key: string | undefined, body: unknown, run: () => Promise<T>): Promise<T> {
    if (!key) return run();
    return (await once({ key: `${scope}:${user.sub}:${key}`, requestHash: requestHashOf(body), mismatch: () => keyReused(), run })).value;
  };
}
