import type { CodeUnitId } from '../../functions/domain/catalogue.js';
import type { CodeUnit } from '../../functions/ports/code-unit.js';

/** A code unit that does no work but goes through the whole run protocol: lease, run log, next run, schedule. */
export function placeholderCodeUnit(id: CodeUnitId): CodeUnit {
  return {
    id,
    async run(context) {
      context.signal.throwIfAborted();
      return { counters: { checked: 0 } };
    },
  };
}
