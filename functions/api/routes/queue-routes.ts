import { defineRoute, json, jsonBody, noBody } from '../route.js';

/*
 * The job queue entries and their run log (issue 2). Declarations only: the handlers are in
 * queue-handlers.ts. Admins' scripts rely on these routes: change with care.
 */

const tags = ['queues'] as const;

export const QUEUE_ROUTES = {
  listQueues: defineRoute({
    method: 'GET',
    path: '/queues',
    tags,
    summary: 'All five code units with their entry summary (description, status, next run, interval).',
    responses: { 200: json('QueueList', 'The queues in pipeline order.') },
  }),
  ensureEntry: defineRoute({
    method: 'POST',
    path: '/queues/{codeUnit}',
    tags,
    summary: 'Create the entry with the defaults, On Hold; or return the existing one. Never a second entry.',
    responses: { 201: json('EntryCard', 'Created.', ['ETag', 'Location']), 200: json('EntryCard', 'It existed already.', ['ETag', 'Location']) },
  }),
  getEntry: defineRoute({
    method: 'GET',
    path: '/queues/{codeUnit}',
    tags,
    summary: 'The entry card with its next five run times and its schedule.',
    responses: { 200: json('EntryCard', 'The card.', ['ETag']) },
  }),
  updateEntrySettings: defineRoute({
    method: 'PATCH',
    path: '/queues/{codeUnit}',
    tags,
    summary: 'Edit settings; fields left out keep their value, recurrence is merged field by field.',
    request: { headers: ['IfMatchRequired'], body: jsonBody('EntrySettingsPatch', ['application/json', 'application/merge-patch+json']) },
    responses: { 200: json('EntryCard', 'The updated card.', ['ETag']) },
    problems: [409],
  }),
  setEntryStatus: defineRoute({
    method: 'POST',
    path: '/queues/{codeUnit}/status',
    tags,
    summary: 'Set Ready (schedule enabled) or On Hold (schedule disabled).',
    request: { headers: ['IfMatch'], body: jsonBody('SetStatusRequest') },
    responses: { 200: json('EntryCard', 'The updated card.', ['ETag']) },
    problems: [409],
  }),
  requestRun: defineRoute({
    method: 'POST',
    path: '/queues/{codeUnit}/run',
    tags,
    summary: 'Run now, without shifting the schedule; answers before the run starts.',
    responses: { 202: json('RunAccepted', 'Accepted; follow Location to the run-log row.', ['Location']) },
  }),
  deleteEntry: defineRoute({
    method: 'DELETE',
    path: '/queues/{codeUnit}',
    tags,
    summary: 'Delete the entry and its schedule; refused while a run is in process.',
    request: { headers: ['IfMatch'] },
    responses: { 204: noBody('Deleted.') },
    problems: [409],
  }),
  listRuns: defineRoute({
    method: 'GET',
    path: '/queues/{codeUnit}/runs',
    tags,
    summary: 'The run log, newest first, one page at a time.',
    request: { query: ['Limit', 'Cursor'] },
    responses: { 200: json('RunPage', 'A page of the run log.', ['Link']) },
  }),
  getRun: defineRoute({
    method: 'GET',
    path: '/queues/{codeUnit}/runs/{runId}',
    tags,
    summary: 'One run-log row.',
    responses: { 200: json('RunLogEntry', 'The run.') },
  }),
};
