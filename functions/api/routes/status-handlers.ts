import { readSystemStatus } from '../../use-cases/read-status.js';
import { jsonResponse } from '../http-response.js';
import type { RouteHandlers } from '../route.js';
import type { STATUS_ROUTES } from './status-routes.js';

export const statusHandlers: RouteHandlers<typeof STATUS_ROUTES> = {
  async getSystemStatus(request) {
    request.query();
    return jsonResponse(200, await readSystemStatus(request.deps), { 'cache-control': 'no-store' });
  },
};
