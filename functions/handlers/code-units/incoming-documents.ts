import { fa3Parser } from '../../adapters/xml/fa3-parser.js';
import { incomingDocumentsFactory } from '../../code-units/factories.js';
import { awsCodeUnit } from '../../wiring/aws-code-units.js';
import { awsRunnerDeps } from '../../wiring/aws.js';
import { codeUnitHandler } from '../code-unit-handler.js';

export const handler = codeUnitHandler(awsCodeUnit(incomingDocumentsFactory, { parser: fa3Parser }), awsRunnerDeps);
