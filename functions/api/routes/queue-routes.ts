import { deleteEntry, ensureEntry, getEntryCard, listQueues, requestRun, setEntryStatus, updateEntrySettings } from '../../use-cases/manage-entries.js';
import type { EntryCard } from '../../use-cases/manage-entries.js';
import { etagOf, jsonResponse, noContent } from '../http-response.js';
import type { ApiResult } from '../http-response.js';
import { ifMatchOf, requireIfMatch, versionMatching } from '../if-match.js';
import { readJsonObject } from '../json-body.js';
import { readQuery } from '../query.js';
import { parseRequest, setStatusRequestSchema } from '../request-schemas.js';
import type { Route, RouteRequest } from '../route.js';

export const entryPath = (codeUnit: string): string => `/queues/${encodeURIComponent(codeUnit)}`;

function cardResponse(statusCode: number, card: EntryCard, headers: Readonly<Record<string, string>> = {}): ApiResult {
  return jsonResponse(statusCode, card, { etag: etagOf(card.entry.version), ...headers });
}

/** The version an optional If-Match pins the write to; undefined when the caller sent none. */
async function optionalExpectedVersion(request: RouteRequest, codeUnit: string): Promise<number | undefined> {
  const header = ifMatchOf(request.event);
  if (header === undefined) return undefined;
  const card = await getEntryCard(request.deps, codeUnit);
  return versionMatching(header, card.entry.version);
}

export const queueRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/queues',
    async handle({ event, deps }) {
      readQuery(event, []);
      return jsonResponse(200, { items: await listQueues(deps) });
    },
  },
  {
    method: 'POST',
    path: '/queues/{codeUnit}',
    async handle(request) {
      readQuery(request.event, []);
      const codeUnit = request.param('codeUnit');
      const { card, created } = await ensureEntry(request.deps, codeUnit, request.caller);
      return cardResponse(created ? 201 : 200, card, { location: entryPath(card.entry.codeUnit) });
    },
  },
  {
    method: 'GET',
    path: '/queues/{codeUnit}',
    async handle(request) {
      readQuery(request.event, []);
      return cardResponse(200, await getEntryCard(request.deps, request.param('codeUnit')));
    },
  },
  {
    method: 'PATCH',
    path: '/queues/{codeUnit}',
    async handle(request) {
      readQuery(request.event, []);
      const codeUnit = request.param('codeUnit');
      const current = await getEntryCard(request.deps, codeUnit);
      const ifMatch = requireIfMatch(request.event);
      const patch = readJsonObject(request.event);
      const expectedVersion = versionMatching(ifMatch, current.entry.version);
      return cardResponse(200, await updateEntrySettings(request.deps, codeUnit, patch, expectedVersion, request.caller));
    },
  },
  {
    method: 'POST',
    path: '/queues/{codeUnit}/status',
    async handle(request) {
      readQuery(request.event, []);
      const codeUnit = request.param('codeUnit');
      const { status } = parseRequest(setStatusRequestSchema, readJsonObject(request.event));
      const expectedVersion = await optionalExpectedVersion(request, codeUnit);
      return cardResponse(200, await setEntryStatus(request.deps, codeUnit, status, request.caller, expectedVersion));
    },
  },
  {
    method: 'POST',
    path: '/queues/{codeUnit}/run',
    async handle(request) {
      readQuery(request.event, []);
      const codeUnit = request.param('codeUnit');
      const { runId } = await requestRun(request.deps, codeUnit, request.caller);
      return jsonResponse(202, { runId }, { location: `${entryPath(codeUnit)}/runs/${encodeURIComponent(runId)}` });
    },
  },
  {
    method: 'DELETE',
    path: '/queues/{codeUnit}',
    async handle(request) {
      readQuery(request.event, []);
      const codeUnit = request.param('codeUnit');
      await deleteEntry(request.deps, codeUnit, request.caller, await optionalExpectedVersion(request, codeUnit));
      return noContent();
    },
  },
];
