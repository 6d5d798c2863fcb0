import { placeholderCodeUnit } from '../../code-units/placeholder.js';
import { codeUnitHandler } from '../code-unit-handler.js';

export const handler = codeUnitHandler(placeholderCodeUnit('update-ledgers'));
