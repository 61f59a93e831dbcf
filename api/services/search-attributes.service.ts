// Asks the namespace which of our search attributes exist, so cases are started indexing only those.
import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES, type SearchAttributeName } from '../../workflows/search-attributes';

export async function registeredSearchAttributes(connection: Connection, namespace: string): Promise<SearchAttributeName[]> {
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    const custom = Object.keys(res.customAttributes ?? {});
    return SEARCH_ATTRIBUTE_NAMES.filter((n) => custom.includes(n));
  } catch {
    return [];
  }
}
