// searchAttributeUpdates: only attributes the namespace registered; undefined removes one.
import { describe, it, expect } from 'vitest';
import { SA, SEARCH_ATTRIBUTE_NAMES, searchAttributeUpdates, type IndexedValues } from '../../workflows/search-attributes';

/** Pairs as plain name/value so assertions read like the Web UI. */
function simple(values: IndexedValues, registered: readonly string[]) {
  return searchAttributeUpdates(values, registered).map((p) => ({ name: p.key.name, type: p.key.type, value: p.value }));
}

describe('searchAttributeUpdates', () => {
  const values: IndexedValues = {
    CaseKind: 'customer',
    Branch: 'north',
    Severity: 'serious',
    Round: 2,
    NextDeadline: new Date('2026-03-01T08:00:00.000Z'),
    Overdue: false,
  };

  it('emits every value when every attribute is registered, with the typed keys', () => {
    const pairs = searchAttributeUpdates(values, SEARCH_ATTRIBUTE_NAMES);
    expect(pairs).toHaveLength(6);
    expect(pairs.find((p) => p.key.name === 'Round')).toEqual({ key: SA.Round, value: 2 });
    expect(pairs.find((p) => p.key.name === 'NextDeadline')?.value).toEqual(new Date('2026-03-01T08:00:00.000Z'));
    expect(pairs.find((p) => p.key.name === 'Overdue')).toEqual({ key: SA.Overdue, value: false });
    expect(pairs.find((p) => p.key.name === 'CaseKind')?.key).toBe(SA.CaseKind);
  });

  it('emits only registered names', () => {
    expect(simple(values, ['Branch', 'Round'])).toEqual([
      { name: 'Branch', type: 'KEYWORD', value: 'north' },
      { name: 'Round', type: 'INT', value: 2 },
    ]);
  });

  it('emits nothing when nothing is registered', () => {
    expect(searchAttributeUpdates(values, [])).toEqual([]);
  });

  it('ignores registered names the case has no value for', () => {
    expect(simple({ Severity: 'major' }, SEARCH_ATTRIBUTE_NAMES)).toEqual([{ name: 'Severity', type: 'KEYWORD', value: 'major' }]);
  });

  it('ignores registered names that are not case attributes and unknown value keys', () => {
    const withExtra = { ...values, CustomerPhone: '13800000000' } as IndexedValues;
    const names = simple(withExtra, ['CustomerPhone', 'Branch', 'WorkflowType']).map((p) => p.name);
    expect(names).toEqual(['Branch']);
  });

  it('turns an explicit undefined into a null removal', () => {
    expect(simple({ NextDeadline: undefined, Overdue: undefined, Branch: 'south' }, SEARCH_ATTRIBUTE_NAMES)).toEqual([
      { name: 'Branch', type: 'KEYWORD', value: 'south' },
      { name: 'NextDeadline', type: 'DATETIME', value: null },
      { name: 'Overdue', type: 'BOOL', value: null },
    ]);
  });

  it('does not remove an unregistered attribute', () => {
    expect(searchAttributeUpdates({ NextDeadline: undefined }, ['Overdue'])).toEqual([]);
  });

  it('keeps falsy values (0, false, empty string) instead of removing them', () => {
    expect(simple({ Round: 0, Overdue: false, Phase: '' }, SEARCH_ATTRIBUTE_NAMES).map((p) => p.value)).toEqual([0, '', false]);
  });
});
