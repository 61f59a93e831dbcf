// How a case refuses an action: a non-retryable failure whose type is the stable code the api maps to a status.
import { ApplicationFailure } from '@temporalio/common';
import type { CaseErrorCode } from '../domain/errors';

export function reject(code: CaseErrorCode, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}
