/*
 * Documents: outgoing (sales) FA(3) invoices this system sends to KSeF, incoming (purchase) ones it
 * fetches, and the KSeF ledger. Pure: timestamps come in as ISO strings from the caller's clock.
 * This file is the module's one entry point; the rules live in documents/:
 *
 *   model.ts               what a document is (fields, business key, status, history entry)
 *   history-events.ts      the typed history event of every entry, and the rules that read them back
 *   legacy-history.ts      the events of entries stored before events existed (from their notes)
 *   life-cycle.ts          the moves the code units make as KSeF answers
 *   resend-rules.ts        when a document KSeF declined, or whose send failed, is sent again
 *   admin-actions.ts       release a Held document, replace a Rejected one
 *   sending-order.ts       the order of sending, and the Warsaw day KSeF counts an invoice on
 *   incoming-and-ledger.ts purchase invoices and the ledger rows
 *   amounts.ts             exact decimal amounts
 *
 * Life cycle (every move is conditional on the current status; history keeps each one):
 *
 *   Pending ──moveToSending──▶ Sending ──recordSent──▶ Sent ──recordAccepted──▶ Accepted
 *      ▲  │                      │  │                    └──recordRejected──▶ Rejected
 *      │  └──holdOffline──▶ Held │  └──returnToPending (nothing reached KSeF) ──▶ Pending
 *      └────releaseHeld──────────┘
 *   Sending may also go straight to Accepted/Rejected: a lost response reconciled by hash, or
 *   recordRefusedOnSend when KSeF refuses the invoice as it is sent.
 *   Sending/Sent ──afterKsefCancellation (405/550), afterPackageRefused (415/430/435/445 …)──▶ Pending,
 *   to be sent again; Rejected past the limit.
 *   Sending ──afterFailedSend (5xx, lost response; proven absent)──▶ Pending again; Held past the limit.
 *   A 440 duplicate whose hash matches the original is Accepted with `duplicateOf` set.
 *   Rejected ──resubmitRejected (corrected content)──▶ Pending.
 */

export * from './documents/model.js';
export * from './documents/history-events.js';
export * from './documents/legacy-history.js';
export * from './documents/life-cycle.js';
export * from './documents/resend-rules.js';
export * from './documents/admin-actions.js';
export * from './documents/sending-order.js';
export * from './documents/incoming-and-ledger.js';
export * from './documents/amounts.js';
