import type { CodeUnitId } from '../domain/catalogue.js';
import type { CodeUnit } from '../ports/code-unit.js';

/**
 * A code unit that does no KSeF work yet (the real ones come with issue 4) but goes through the
 * whole run protocol: lease, run log, next run, schedule.
 */
export function placeholderCodeUnit(id: CodeUnitId): CodeUnit {
  return {
    id,
    async run(context) {
      context.signal.throwIfAborted();
      return { counters: { checked: 0 } };
    },
  };
}
