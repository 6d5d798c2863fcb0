import * as z from 'zod';
import type { HistoryEvent } from '../../domain/documents.js';

/*
 * The typed event of each entry in a document's history (domain/documents/history-events.ts), for
 * the OpenAPI document. A compile-time check below keeps it the same union as the domain's.
 */

const legacy = 'null only on an entry stored before events existed whose note did not say it';
const session = z.string().nullable().meta({ description: `The KSeF session reference (a batch: its local id until KSeF names it); ${legacy}.` });
const code = z.int().meta({ description: "KSeF's status code." });

export const historyEventSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('submitted') }).meta({ description: 'POST /documents stored it (Pending).' }),
    z
      .strictObject({ kind: z.literal('sending'), session, batch: z.boolean(), offlineMode: z.boolean() })
      .meta({ description: 'The intent, stored before the invoice leaves (Sending).' }),
    z
      .strictObject({ kind: z.literal('sent'), session, invoiceReferenceNumber: z.string().nullable(), foundByHash: z.boolean() })
      .meta({ description: "KSeF took it into the session (Sent); foundByHash: the send's answer was lost and the session's list showed it." }),
    z.strictObject({ kind: z.literal('accepted'), ksefNumber: z.string().nullable() }).meta({ description: 'KSeF gave it a KSeF number (Accepted).' }),
    z
      .strictObject({ kind: z.literal('duplicateReconciled'), originalKsefNumber: z.string().nullable() })
      .meta({ description: 'KSeF answered 440 and the original has the same hash: that one is this one (Accepted).' }),
    z
      .strictObject({ kind: z.literal('rejected'), code: code.nullable(), description: z.string().nullable() })
      .meta({ description: 'KSeF processed and rejected it (Rejected).' }),
    z
      .strictObject({ kind: z.literal('refusedOnSend'), code: code.nullable(), description: z.string().nullable() })
      .meta({ description: 'KSeF refused the invoice when it was sent (Rejected).' }),
    z
      .strictObject({ kind: z.literal('ksefCancelled'), code: code.nullable(), description: z.string().nullable(), session })
      .meta({ description: 'KSeF cancelled it (405, 550) without a KSeF number: Pending, to be sent again.' }),
    z
      .strictObject({ kind: z.literal('packageRefused'), code, description: z.string(), session })
      .meta({ description: 'KSeF refused the batch package it went in as a whole (415, 430, 435, 445 …): Pending, to be sent again.' }),
    z
      .strictObject({ kind: z.literal('resendsExhausted'), code, description: z.string(), resends: z.int().min(0), after: z.enum(['ksefCancelled', 'packageRefused']) })
      .meta({ description: 'Declined once more after the resends allowed (Rejected).' }),
    z.strictObject({ kind: z.literal('notSent'), session }).meta({ description: 'Nothing of it reached KSeF (e.g. its batch was never closed): Pending.' }),
    z
      .strictObject({ kind: z.literal('sendFailed'), reason: z.string(), session })
      .meta({ description: 'Its send failed and it is not in its closed session: Pending, counted towards a hold.' }),
    z
      .strictObject({ kind: z.literal('heldAfterFailedSends'), failures: z.int().min(1), lastReason: z.string() })
      .meta({ description: 'Its send failed too many times in a row: Held for an admin.' }),
    z.strictObject({ kind: z.literal('heldOffline'), reason: z.string() }).meta({ description: 'KSeF would mark it offline: Held for an admin.' }),
    z
      .strictObject({ kind: z.literal('released'), offlineMode: z.boolean() })
      .meta({ description: 'An admin released it (POST /documents/{id}/release): Pending, declared offline or as it is.' }),
    z
      .strictObject({ kind: z.literal('resubmitted'), contentSha256: z.string().nullable(), replacedSha256: z.string().nullable() })
      .meta({ description: "Corrected content replaced a Rejected document's: Pending." }),
    z.strictObject({ kind: z.literal('noUpo'), reason: z.string() }).meta({ description: 'The Accepted document will get no UPO, and why (not a status change).' }),
  ])
  .meta({ description: 'What happened, as data (`kind` plus its facts); the entry\'s `note` says it in words.' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when the schema and the domain's union differ. */
const _sameAsTheDomain: Same<z.infer<typeof historyEventSchema>, HistoryEvent> = true;
