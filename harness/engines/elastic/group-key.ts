import type { Event } from '../../core/event.ts';
import { fieldGetter, scalarText } from '../common/fields.ts';

/**
 * The term combinations an event contributes for a list of fields, as
 * aggregations see them: every combination of the fields' values (arrays
 * expand), none when a field is missing.
 */
export function termCombinations(fields: readonly string[]): (event: Event) => string[] {
  const getters = fields.map(fieldGetter);
  return (event) => {
    let combos: string[][] = [[]];
    for (const get of getters) {
      const values = get(event).map(scalarText).filter((v): v is string => v !== undefined);
      if (values.length === 0) return [];
      combos = combos.flatMap((c) => [...new Set(values)].map((v) => [...c, v]));
    }
    return combos.map((c) => JSON.stringify(c));
  };
}
