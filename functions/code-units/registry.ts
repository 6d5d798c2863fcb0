import type { CodeUnitId } from '../domain/catalogue.js';
import type { CodeUnit } from '../ports/code-unit.js';
import {
  incomingDocumentsFactory,
  processSessionsFactory,
  processUpoFactory,
  sendDocumentsFactory,
  updateLedgersFactory,
  type CodeUnitDeps,
  type CodeUnitFactory,
} from './factories.js';

export type { CodeUnitDeps } from './factories.js';

/** Every code unit's factory, by id; the type makes sure none of the catalogue is missing. */
const FACTORIES: { readonly [K in CodeUnitId]: CodeUnitFactory<K> } = {
  'send-documents': sendDocumentsFactory,
  'process-sessions': processSessionsFactory,
  'process-upo': processUpoFactory,
  'update-ledgers': updateLedgersFactory,
  'incoming-documents': incomingDocumentsFactory,
};

/** All five, for the runtime that runs them all in one process (a Lambda builds only its own). */
export function createCodeUnits(deps: CodeUnitDeps): Record<CodeUnitId, CodeUnit> {
  const build = <K extends CodeUnitId>(id: K) => FACTORIES[id].build(deps);
  return {
    'send-documents': build('send-documents'),
    'process-sessions': build('process-sessions'),
    'process-upo': build('process-upo'),
    'update-ledgers': build('update-ledgers'),
    'incoming-documents': build('incoming-documents'),
  };
}
