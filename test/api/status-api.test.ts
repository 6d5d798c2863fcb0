import { describe, expect, it } from 'vitest';
import { MemoryNotificationStore } from '../../functions/adapters/memory/memory-notification-store.js';
import { MemorySyncStateRepository } from '../../functions/adapters/memory/memory-sync-state-repository.js';
import { initialNotificationState } from '../../functions/domain/notification-policy.js';
import { moveToSending } from '../../functions/domain/documents.js';
import type { ApiDocumentDeps } from '../../functions/api/api-deps.js';
import { createApiTestClient } from '../helpers/api-test-client.js';
import { makeDocumentDeps } from '../helpers/document-deps.js';
import { makeDocument } from '../helpers/document-factory.js';
import { makeEntry } from '../helpers/entry-factory.js';

const noValidator = { validate: async () => ({ valid: true, errors: [] }) };

function statusClient() {
  const notifications = new MemoryNotificationStore();
  const syncState = new MemorySyncStateRepository();
  const documentDeps = makeDocumentDeps(noValidator);
  const documents: ApiDocumentDeps = { ...documentDeps, companyNip: '5265877635', syncState };
  const api = createApiTestClient({ notifications, documents });
  return { api, notifications, syncState, documentDeps };
}

describe('GET /status', () => {
  it('lists the five queues in pipeline order, each with its entry or null, when nothing is set up', async () => {
    // Prepare
    const { api } = statusClient();
    // Act
    const response = await api.request('GET', '/status');
    // Assess
    expect(response.status).toBe(200);
    expect(response.body.queues.map((q: any) => q.codeUnit)).toEqual(['send-documents', 'process-sessions', 'process-upo', 'update-ledgers', 'incoming-documents']);
    expect(response.body.queues.every((q: any) => q.entry === null)).toBe(true);
    expect(response.body.documents.byStatus.map((s: any) => [s.status, s.count, s.oldest])).toEqual([
      ['Pending', 0, null],
      ['Held', 0, null],
      ['Sending', 0, null],
      ['Sent', 0, null],
      ['Rejected', 0, null],
    ]);
    expect(response.body.incoming).toEqual({ syncMark: null, syncedAt: null });
  });

  it("says since when a failing queue has been failing, its last run's error and its run in progress", async () => {
    // Prepare
    const { api, notifications } = statusClient();
    await api.deps.entries.create(
      makeEntry({
        codeUnit: 'process-upo',
        status: 'Error',
        attemptsMade: 3,
        lastRun: { runId: 'r-3', status: 'Error', finishedAt: '2026-03-02T07:30:00.000Z', errorMessage: 'KSeF is down' },
      }),
    );
    await api.deps.entries.create(
      makeEntry({
        codeUnit: 'send-documents',
        status: 'InProcess',
        lease: { runId: 'r-9', trigger: 'schedule', attempt: 1, startedAt: '2026-03-02T07:59:00.000Z', expiresAt: '2026-03-02T08:09:00.000Z', previousStatus: 'Ready' },
      }),
    );
    await notifications.putState({ ...initialNotificationState('process-upo'), failingSince: '2026-03-01T03:00:00.000Z', consecutiveFailures: 2 }, 0);
    // Act
    const response = await api.request('GET', '/status');
    // Assess
    const byUnit = Object.fromEntries(response.body.queues.map((q: any) => [q.codeUnit, q.entry]));
    expect(byUnit['process-upo']).toMatchObject({
      status: 'Error',
      failingSince: '2026-03-01T03:00:00.000Z',
      consecutiveFailures: 2,
      lastRun: { status: 'Error', errorMessage: 'KSeF is down' },
      runInProgress: null,
    });
    expect(byUnit['send-documents']).toMatchObject({ status: 'InProcess', runInProgress: { runId: 'r-9', trigger: 'schedule' }, failingSince: null });
  });

  it('counts the documents in each working status and gives the oldest with its age since it entered that status', async () => {
    // Prepare
    const { api, documentDeps, syncState } = statusClient();
    for (const [i, issueDate] of ['2026-03-02', '2026-03-01'].entries()) {
      await documentDeps.documents.create(makeDocument({ id: `p${i}`, fields: { invoiceNumber: `FV/${i}`, issueDate }, at: '2026-03-02T07:00:00.000Z' }));
    }
    const { document } = await documentDeps.documents.create(makeDocument({ id: 's', fields: { invoiceNumber: 'FV/S', issueDate: '2026-03-02' } }));
    await documentDeps.documents.update(moveToSending(document, { at: '2026-03-02T07:58:00.000Z', by: 'send-documents', sessionReferenceNumber: 'S-1' }), document.version);
    await syncState.advance({ purpose: 'incoming-documents', subjectType: 'Subject2' }, '2026-03-02T06:00:00.123+00:00', '2026-03-02T06:05:00.000Z', 0);
    // Act
    const response = await api.request('GET', '/status');
    // Assess
    const byStatus = Object.fromEntries(response.body.documents.byStatus.map((s: any) => [s.status, s]));
    expect(byStatus.Pending).toEqual({
      status: 'Pending',
      count: 2,
      oldest: { documentId: 'p1', invoiceNumber: 'FV/1', issueDate: '2026-03-01', since: '2026-03-02T07:00:00.000Z', ageSeconds: 3600 },
    });
    expect(byStatus.Sending).toMatchObject({ count: 1, oldest: { documentId: 's', since: '2026-03-02T07:58:00.000Z', ageSeconds: 120 } });
    expect(response.body.incoming).toEqual({ syncMark: '2026-03-02T06:00:00.123+00:00', syncedAt: '2026-03-02T06:05:00.000Z' });
  });

  it('answers without documents and incoming parts on a deployment that has no documents configured', async () => {
    // Prepare
    const api = createApiTestClient();
    // Act
    const response = await api.request('GET', '/status');
    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ documents: null, incoming: null });
  });

  it('refuses a query parameter it does not take, naming it', async () => {
    const { api } = statusClient();
    const response = await api.request('GET', '/status?verbose=1');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('verbose');
  });
});
