// Search-attribute upserts from inside a case, limited to what the namespace has registered.
import * as wf from '@temporalio/workflow';
import { searchAttributeUpdates, type IndexedValues } from './search-attributes';

/** A namespace without our attributes gets no upsert at all: the server refuses an empty one and fails the task. */
export function upsertIndexed(values: IndexedValues, registered: readonly string[]): void {
  const pairs = searchAttributeUpdates(values, registered);
  if (pairs.length === 0 && wf.patched('skip-empty-search-attribute-upsert')) return;
  wf.upsertSearchAttributes(pairs);
}
