import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryDocumentRepository } from '../../../functions/adapters/memory/memory-document-repository.js';
import { moveToSending } from '../../../functions/domain/documents.js';
import { watchdogHandler } from '../../../functions/handlers/watchdog-handler.js';
import { makeDocument } from '../../helpers/document-factory.js';
import { makeHarness } from '../use-cases/harness.js';

const context = { awsRequestId: 'watchdog-1', functionName: 'watchdog' } as Context;

describe('the watchdog handler', () => {
  it('publishes the entries in Error, and per watched status the documents waiting and how long the oldest has waited', async () => {
    // Prepare: two Pending since 07:00 and 07:30, one Sending since 07:50; the watchdog runs at 08:00.
    const h = makeHarness('2026-03-02T08:00:00.000Z');
    await h.seed({ status: 'Error' });
    const documents = new MemoryDocumentRepository();
    await documents.create(makeDocument({ id: 'doc-1', fields: { invoiceNumber: 'FV/1' }, at: '2026-03-02T07:00:00.000Z' }));
    await documents.create(makeDocument({ id: 'doc-2', fields: { invoiceNumber: 'FV/2' }, at: '2026-03-02T07:30:00.000Z' }));
    const third = (await documents.create(makeDocument({ id: 'doc-3', fields: { invoiceNumber: 'FV/3' }, at: '2026-03-02T07:00:00.000Z' }))).document;
    await documents.update(moveToSending(third, { at: '2026-03-02T07:50:00.000Z', by: 'send-documents', sessionReferenceNumber: 'S-1' }), third.version);
    const handler = watchdogHandler(() => ({ ...h.runner, documents }));
    // Act
    const report = await handler({}, context);
    // Assess
    expect(report.entriesInError).toBe(1);
    const points = h.metrics.points().map((point) => [point.name, point.dimensions.Status ?? '', point.value]);
    expect(points).toEqual([
      ['EntriesInError', '', 1],
      ['DocumentsInStatus', 'Pending', 2],
      ['OldestDocumentAge', 'Pending', 3600],
      ['DocumentsInStatus', 'Held', 0],
      ['DocumentsInStatus', 'Sending', 1],
      ['OldestDocumentAge', 'Sending', 600],
      ['DocumentsInStatus', 'Sent', 0],
    ]);
    expect(h.logger.lines.at(-1)).toMatchObject({ level: 'info', message: 'Reconciled.', attributes: { requestId: 'watchdog-1', entriesInError: 1 } });
  });
});
