import { awsWatchdogDeps } from '../wiring/aws.js';
import { watchdogHandler } from './watchdog-handler.js';

export const handler = watchdogHandler(awsWatchdogDeps);
