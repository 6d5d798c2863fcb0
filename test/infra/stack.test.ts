/*
 * The assertion tests of the synthesized stack. Each suite lives in ./stack/ and registers its
 * tests when imported; importing them all here lets them share the stacks of ./shared-stacks.ts
 * (one synth each, instead of one per suite).
 */
import './stack/functions.suite.js';
import './stack/jobs-table.suite.js';
import './stack/schedules.suite.js';
import './stack/management-api.suite.js';
import './stack/least-privilege.suite.js';
import './stack/operations.suite.js';
import './stack/documents.suite.js';
import './stack/ksef.suite.js';
import './stack/dashboard.suite.js';
