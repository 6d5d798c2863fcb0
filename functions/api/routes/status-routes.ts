import { defineRoute, json } from '../route.js';

/* The system at a glance. Handlers: status-handlers.ts. */

export const STATUS_ROUTES = {
  getSystemStatus: defineRoute({
    method: 'GET',
    path: '/status',
    tags: ['queues'],
    summary: "The state of the system in one call: each queue's status, next run, last run and since when it has been failing; documents in each working status with the oldest; the purchase-invoice sync mark.",
    responses: { 200: json('SystemStatus', 'The state now.') },
  }),
};
