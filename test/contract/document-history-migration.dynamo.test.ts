import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDocumentHistoryStore } from '../../functions/adapters/aws/dynamo-document-history-store.js';
import { DynamoDocumentRepository } from '../../functions/adapters/aws/dynamo-document-repository.js';
import { documentKey } from '../../functions/adapters/aws/table-layout.js';
import {
  afterKsefCancellation,
  eventOfLegacyEntry,
  moveToSending,
  noUpoReason,
  recordSent,
  resendsAfterKsefCancellation,
  returnsAfterFailedSend,
  sendsDespiteOfflineMarking,
  type HistoryEventKind,
  type OutgoingDocument,
  type StoredStatusChange,
} from '../../functions/domain/documents.js';
import { ValidationError } from '../../functions/domain/errors.js';
import type { DocumentHistoryStore } from '../../functions/ports/document-history-store.js';
import { migrateHistory, migrateHistoryPage } from '../../functions/use-cases/migrate-document-history.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';
import { rejection } from '../helpers/rejection.js';

/*
 * Documents stored before history events existed, exactly as the DynamoDB adapter stored them then
 * (the fixture was written by that version's own domain, with the answers its note-reading rules
 * gave), read and migrated through the embedded DynamoDB server.
 */

interface Fixture {
  readonly items: readonly Record<string, unknown>[];
  readonly answersBeforeEvents: Readonly<Record<string, Answers>>;
}
interface Answers {
  readonly resendsAfterKsefCancellation: number;
  readonly returnsAfterFailedSend: number;
  readonly sendsDespiteOfflineMarking: boolean;
  readonly noUpoReason: string | null;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/legacy-history/stored-before-events.json', import.meta.url), 'utf8')) as Fixture;
const documentItems = fixture.items.filter((item) => item.sk === 'DOC');
const ids = documentItems.map((item) => String(item.id));

/** Every kind of event (the compiler checks that none is missing). */
const ALL_KINDS = Object.keys({
  submitted: true, sending: true, sent: true, accepted: true, duplicateReconciled: true, rejected: true, refusedOnSend: true, ksefCancelled: true,
  packageRefused: true, resendsExhausted: true, notSent: true, sendFailed: true, heldAfterFailedSends: true, heldOffline: true, released: true,
  resubmitted: true, noUpo: true,
} satisfies Record<HistoryEventKind, true>);

const dynamo = useEmbeddedDynamo('history');

function answersOf(doc: OutgoingDocument): Answers {
  return {
    resendsAfterKsefCancellation: resendsAfterKsefCancellation(doc),
    returnsAfterFailedSend: returnsAfterFailedSend(doc),
    sendsDespiteOfflineMarking: sendsDespiteOfflineMarking(doc),
    noUpoReason: noUpoReason(doc),
  };
}

describe('documents stored before history events existed', () => {
  let tableName: string;
  let repo: DynamoDocumentRepository;
  let store: DynamoDocumentHistoryStore;
  const rawItem = async (id: string) => (await dynamo.server.createDocumentClient().send(new GetCommand({ TableName: tableName, Key: documentKey(id) }))).Item;
  const allRaw = async () => Promise.all(ids.map(rawItem));
  const readAll = async () => Promise.all(ids.map(async (id) => (await repo.get(id)) as OutgoingDocument));

  beforeEach(async () => {
    tableName = await dynamo.freshTable();
    repo = new DynamoDocumentRepository(dynamo.client, tableName);
    store = new DynamoDocumentHistoryStore(dynamo.client, tableName);
    const db = dynamo.server.createDocumentClient();
    for (const item of fixture.items) await db.send(new PutCommand({ TableName: tableName, Item: item }));
  });

  it('the fixture holds an old entry of every kind, none of them with an event', () => {
    // Act
    const history = documentItems.flatMap((item) => item.history as StoredStatusChange[]);
    const kinds = new Set(history.map((entry) => eventOfLegacyEntry(entry).kind));
    // Assess
    expect(history.every((entry) => entry.event === undefined)).toBe(true);
    expect([...kinds].sort()).toEqual([...ALL_KINDS].sort());
  });

  it('are read with an event in every entry, and the rules give the answers they gave before, without a migration', async () => {
    // Act
    const docs = await readAll();
    // Assess
    for (const doc of docs) {
      expect(doc.history.every((entry) => typeof entry.event.kind === 'string')).toBe(true);
      expect(answersOf(doc), doc.id).toEqual(fixture.answersBeforeEvents[doc.id]);
    }
    const listed = await repo.list({ limit: 100 });
    expect(listed.items.map((doc) => doc.id).sort()).toEqual([...ids].sort());
    expect(listed.items.every((doc) => doc.history.every((entry) => entry.event !== undefined))).toBe(true);
  });

  it('are migrated in several goes: every entry gets the event a read gives it, nothing else changes, the version stays', async () => {
    // Prepare
    const before = await readAll();
    const rawBefore = await allRaw();
    // Act: two pages of three items (documents and claims alike), then the rest from the cursor.
    const first = await migrateHistory({ histories: store }, { limit: 3, maxPages: 2 });
    const rest = await migrateHistory({ histories: store }, { cursor: first.cursor, limit: 3 });
    // Assess
    expect(first.cursor).not.toBeNull();
    expect(first.migrated).toBeGreaterThan(0);
    expect(rest.cursor).toBeNull();
    expect(first.migrated + rest.migrated).toBe(12);
    expect(first.documents + rest.documents).toBe(12);
    expect(rest.writtenMeanwhile + first.writtenMeanwhile).toBe(0);
    const rawAfter = await allRaw();
    for (const [i, after] of rawAfter.entries()) {
      const { history: oldHistory, ...oldRest } = rawBefore[i] as Record<string, unknown>;
      const { history: newHistory, ...newRest } = after as Record<string, unknown>;
      expect(newRest).toEqual(oldRest);
      expect(newHistory).toEqual(before[i]?.history);
      expect((newHistory as unknown[]).length).toBe((oldHistory as unknown[]).length);
    }
    const migrated = await readAll();
    expect(migrated).toEqual(before);
    for (const doc of migrated) expect(answersOf(doc), doc.id).toEqual(fixture.answersBeforeEvents[doc.id]);
  });

  it('a second migration finds nothing to do and writes nothing', async () => {
    // Prepare
    await migrateHistory({ histories: store });
    const rawBefore = await allRaw();
    // Act
    const again = await migrateHistory({ histories: store }, { limit: 5 });
    // Assess
    expect(again).toEqual({ documents: 12, migrated: 0, writtenMeanwhile: 0, cursor: null });
    expect(await allRaw()).toEqual(rawBefore);
  });

  it('a migrated document goes on through its life cycle with the counts it had', async () => {
    // Prepare: legacy-1 was cancelled twice by KSeF and is Pending.
    await migrateHistory({ histories: store });
    const doc = (await repo.get('legacy-1')) as OutgoingDocument;
    const at = '2026-06-11T08:00:00.000Z';
    const session = '20260611-SO-0000000001-0000000001-01';
    const sent = recordSent(moveToSending(doc, { at, by: 'send-documents', sessionReferenceNumber: session }), { at, by: 'send-documents', sessionReferenceNumber: session, invoiceReferenceNumber: 'EE-1' });
    const ksefStatus = { code: 550, description: 'Operacja została anulowana przez system', details: [] };
    // Act: a third cancellation is still resent (limit 3); a fourth would be the rejection.
    const third = afterKsefCancellation(sent, { at, by: 'process-sessions', ksefStatus, sessionReferenceNumber: session });
    const stored = await repo.update(third, doc.version);
    // Assess
    expect(stored).toMatchObject({ status: 'Pending', version: doc.version + 1 });
    expect(resendsAfterKsefCancellation(stored)).toBe(3);
  });

  it('a document another writer writes between the read and the write is left as that writer wrote it', async () => {
    // Prepare: a store whose page is read, then legacy-8 is written by a code unit, then the migration writes.
    const racing: DocumentHistoryStore = {
      listStoredHistories: async (page) => {
        const result = await store.listStoredHistories(page);
        const doc = await repo.get('legacy-8');
        if (doc !== undefined && result.items.some((item) => item.id === 'legacy-8')) await repo.update(doc, doc.version);
        return result;
      },
      writeHistory: (id, version, history) => store.writeHistory(id, version, history),
    };
    // Act
    const result = await migrateHistory({ histories: racing });
    // Assess
    expect(result).toMatchObject({ migrated: 11, writtenMeanwhile: 1, cursor: null });
    const raw = await rawItem('legacy-8');
    expect(raw?.version).toBe(2);
    expect((raw?.history as { event?: unknown }[]).every((entry) => entry.event !== undefined)).toBe(true);
  });

  it('a page from a cursor that is not the migration\'s is a ValidationError naming the cursor', async () => {
    // Act
    const error = await rejection(migrateHistoryPage({ histories: store }, { cursor: 'not-a-cursor' }));
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ field: 'cursor', reason: 'is not a cursor of the history migration' }]);
  });
});
