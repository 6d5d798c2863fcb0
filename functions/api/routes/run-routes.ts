import { getRun, listRuns } from '../../use-cases/manage-entries.js';
import { jsonResponse } from '../http-response.js';
import { parseLimit, readQuery } from '../query.js';
import type { Route } from '../route.js';
import { entryPath } from './queue-routes.js';

export const runRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/queues/{codeUnit}/runs',
    async handle(request) {
      const query = readQuery(request.event, ['limit', 'cursor']);
      const codeUnit = request.param('codeUnit');
      const limit = parseLimit(query.limit);
      const page = await listRuns(request.deps, codeUnit, { limit, cursor: query.cursor });
      const headers: Record<string, string> = {};
      if (page.nextCursor !== null) {
        const next = new URLSearchParams({ ...(limit === undefined ? {} : { limit: String(limit) }), cursor: page.nextCursor });
        headers.link = `<${entryPath(codeUnit)}/runs?${next.toString()}>; rel="next"`;
      }
      return jsonResponse(200, { items: page.items, nextCursor: page.nextCursor }, headers);
    },
  },
  {
    method: 'GET',
    path: '/queues/{codeUnit}/runs/{runId}',
    async handle(request) {
      readQuery(request.event, []);
      return jsonResponse(200, await getRun(request.deps, request.param('codeUnit'), request.param('runId')));
    },
  },
];
