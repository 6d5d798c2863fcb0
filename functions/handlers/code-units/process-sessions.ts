import { processSessionsFactory } from '../../code-units/factories.js';
import { awsCodeUnit } from '../../wiring/aws-code-units.js';
import { awsRunnerDeps } from '../../wiring/aws.js';
import { codeUnitHandler } from '../code-unit-handler.js';

export const handler = codeUnitHandler(awsCodeUnit(processSessionsFactory), awsRunnerDeps);
