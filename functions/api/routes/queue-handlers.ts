import { deleteEntry, ensureEntry, getEntryCard, getRun, listQueues, listRuns, requestRun, setEntryStatus, updateEntrySettings } from '../../use-cases/manage-entries.js';
import type { EntryCard } from '../../use-cases/manage-entries.js';
import { etagOf, jsonResponse, noContent } from '../http-response.js';
import type { ApiResult } from '../http-response.js';
import { ifMatchOf, requireIfMatch, versionMatching } from '../if-match.js';
import { readJsonObject } from '../json-body.js';
import { nextPageLink, parseLimit } from '../query.js';
import { parseRequest, setStatusRequestSchema } from '../request-schemas.js';
import type { RouteHandlers, RouteRequest } from '../route.js';
import type { QUEUE_ROUTES } from './queue-routes.js';

export const entryPath = (codeUnit: string): string => `/queues/${encodeURIComponent(codeUnit)}`;

function cardResponse(statusCode: number, card: EntryCard, headers: Readonly<Record<string, string>> = {}): ApiResult {
  return jsonResponse(statusCode, card, { etag: etagOf(card.entry.version), ...headers });
}

/** The version an optional If-Match pins the write to; undefined when the caller sent none. */
async function optionalExpectedVersion(request: RouteRequest<'codeUnit', never>, codeUnit: string): Promise<number | undefined> {
  const header = ifMatchOf(request.event);
  if (header === undefined) return undefined;
  const card = await getEntryCard(request.deps, codeUnit);
  return versionMatching(header, card.entry.version);
}

export const queueHandlers: RouteHandlers<typeof QUEUE_ROUTES> = {
  async listQueues(request) {
    request.query();
    return jsonResponse(200, { items: await listQueues(request.deps) });
  },
  async ensureEntry(request) {
    request.query();
    const { card, created } = await ensureEntry(request.deps, request.param('codeUnit'), request.caller);
    return cardResponse(created ? 201 : 200, card, { location: entryPath(card.entry.codeUnit) });
  },
  async getEntry(request) {
    request.query();
    return cardResponse(200, await getEntryCard(request.deps, request.param('codeUnit')));
  },
  async updateEntrySettings(request) {
    request.query();
    const codeUnit = request.param('codeUnit');
    const current = await getEntryCard(request.deps, codeUnit);
    const ifMatch = requireIfMatch(request.event);
    const patch = readJsonObject(request.event);
    const expectedVersion = versionMatching(ifMatch, current.entry.version);
    return cardResponse(200, await updateEntrySettings(request.deps, codeUnit, patch, expectedVersion, request.caller));
  },
  async setEntryStatus(request) {
    request.query();
    const codeUnit = request.param('codeUnit');
    const { status } = parseRequest(setStatusRequestSchema, readJsonObject(request.event));
    const expectedVersion = await optionalExpectedVersion(request, codeUnit);
    return cardResponse(200, await setEntryStatus(request.deps, codeUnit, status, request.caller, expectedVersion));
  },
  async requestRun(request) {
    request.query();
    const codeUnit = request.param('codeUnit');
    const { runId } = await requestRun(request.deps, codeUnit, request.caller);
    return jsonResponse(202, { runId }, { location: `${entryPath(codeUnit)}/runs/${encodeURIComponent(runId)}` });
  },
  async deleteEntry(request) {
    request.query();
    const codeUnit = request.param('codeUnit');
    await deleteEntry(request.deps, codeUnit, request.caller, await optionalExpectedVersion(request, codeUnit));
    return noContent();
  },
  async listRuns(request) {
    const query = request.query();
    const codeUnit = request.param('codeUnit');
    const limit = parseLimit(query.limit);
    const page = await listRuns(request.deps, codeUnit, { limit, cursor: query.cursor });
    return jsonResponse(200, { items: page.items, nextCursor: page.nextCursor }, nextPageLink(`${entryPath(codeUnit)}/runs`, limit, page.nextCursor));
  },
  async getRun(request) {
    request.query();
    return jsonResponse(200, await getRun(request.deps, request.param('codeUnit'), request.param('runId')));
  },
};
