import { renderEmail, type EmailFacts } from '../domain/email-templates.js';
import { KsefJobError, VersionConflictError } from '../domain/errors.js';
import type { JobQueueEntry, Language, NotificationRecipient, RunLogEntry } from '../domain/job-queue-entry.js';
import {
  decideNotification,
  initialNotificationState,
  stateWithoutMail,
  type NotificationDecision,
  type NotificationKind,
  type QueueNotificationState,
  type RunNotificationOutcome,
} from '../domain/notification-policy.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import type { Logger } from '../ports/logger.js';
import type { Mailer } from '../ports/mailer.js';
import { DIMENSION, METRIC, type Metrics } from '../ports/metrics.js';
import type { EmailLogEntry, NotificationStore } from '../ports/notification-store.js';

/*
 * Failure and recovery e-mails for one run outcome. The order is what keeps two concurrent runs
 * from both mailing: read the queue's notification state, decide (pure policy), store the new state
 * with a conditional write, and only then send. The loser of the write re-reads and decides again,
 * and then sees the winner's e-mail. A crash between the write and the send loses that one e-mail
 * (at most once, never a flood); the sent e-mail log shows what went out.
 * Nothing here throws into the runner: a mail or storage failure is logged, recorded and returned.
 */

export interface NotificationConfig {
  /** Sender address (on AWS: an address of the verified SES identity). */
  readonly from: string;
  /** At most one failure e-mail per queue per this many minutes (1 … 10080, default 60). */
  readonly intervalMinutes: number;
  /** Shown in every e-mail, e.g. `prod`, `test`, `local`. */
  readonly environmentName: string;
  /** Base URL of the management API for the links in the e-mail. */
  readonly apiBaseUrl: string;
}

export interface NotifyDeps {
  readonly notifications: NotificationStore;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** `runId(at)` makes the time-ordered ids of the sent e-mail log. */
  readonly ids: Pick<IdGenerator, 'runId'>;
  readonly config: NotificationConfig;
  readonly logger: Logger;
  /** One Emails point per e-mail, sent or failed. */
  readonly metrics: Metrics;
}

export interface RunOutcomeNotice {
  /** The entry as stored after the run (and after any restart was scheduled). */
  readonly entry: JobQueueEntry;
  /** The completed run-log row. */
  readonly run: RunLogEntry;
  readonly outcome: RunNotificationOutcome;
  /**
   * Final failure only: when the automatic restart runs the queue again (UTC ISO-8601), or null when
   * no restart is scheduled. Left out: the entry's nextRunAt when autoRestart is on, else null.
   */
  readonly restartAt?: string | null;
  /** Success only: the next run (UTC ISO-8601); left out: the entry's nextRunAt. */
  readonly nextRunAt?: string | null;
}

export interface NotifyResult {
  /** The e-mail the policy decided on (null: none was due). */
  readonly decided: NotificationKind | null;
  readonly reason: string;
  /** One log row per language group that was mailed (sent or failed). */
  readonly emails: readonly EmailLogEntry[];
  /** Set when notify itself failed (e.g. the store was unreachable); nothing was sent then. */
  readonly error?: string;
}

export type RunOutcomeNotifier = (notice: RunOutcomeNotice) => Promise<NotifyResult>;

/** The function the runner calls; wiring builds it once per process. */
export function createRunOutcomeNotifier(deps: NotifyDeps): RunOutcomeNotifier {
  return (notice) => notifyRunOutcome(deps, notice);
}

/** A decision that lost its conditional write this many times in a row gives up (never seen in practice). */
const DECIDE_ROUNDS = 5;

export async function notifyRunOutcome(deps: NotifyDeps, notice: RunOutcomeNotice): Promise<NotifyResult> {
  const { logger } = deps;
  const where = { codeUnit: notice.entry.codeUnit, runId: notice.run.runId, outcome: notice.outcome };
  try {
    const claimed = await claim(deps, notice);
    if (claimed.decision.send === null) return { decided: null, reason: claimed.decision.reason, emails: [] };
    const emails = await sendToAll(deps, notice, claimed, logger);
    if (emails.length > 0 && emails.every((email) => email.status === 'failed')) await releaseClaim(deps, claimed, logger);
    return { decided: claimed.decision.send, reason: claimed.decision.reason, emails };
  } catch (error) {
    const message = describe(error);
    logger.error('Notification of a run outcome failed; no e-mail was sent.', { ...where, error: message });
    return { decided: null, reason: 'notification failed', emails: [], error: message };
  }
}

interface Claim {
  readonly previous: QueueNotificationState;
  readonly decision: NotificationDecision;
  /** The state as stored by this claim (its version is the one a release must expect). */
  readonly stored: QueueNotificationState;
  readonly recipients: readonly NotificationRecipient[];
}

/** Decides and stores the decision before anything is sent; a lost write decides again. */
async function claim(deps: NotifyDeps, notice: RunOutcomeNotice): Promise<Claim> {
  const { codeUnit } = notice.entry;
  const recipients = mergeRecipients(notice.entry.notificationRecipients, await deps.notifications.listRecipients());
  for (let round = 0; round < DECIDE_ROUNDS; round++) {
    const previous = (await deps.notifications.getState(codeUnit)) ?? initialNotificationState(codeUnit);
    let decision = decideNotification({
      outcome: notice.outcome,
      runId: notice.run.runId,
      state: previous,
      now: deps.clock.now(),
      intervalMinutes: deps.config.intervalMinutes,
    });
    if (!decision.changed) return { previous, decision, stored: previous, recipients };
    if (decision.send !== null && recipients.length === 0) {
      decision = { ...decision, send: null, next: stateWithoutMail(previous, decision), reason: `${decision.reason}, but the queue has no recipients` };
      deps.logger.warn('A notification e-mail was due but nobody is configured to receive it.', { codeUnit, runId: notice.run.runId });
    }
    try {
      const stored = await deps.notifications.putState(decision.next, previous.version);
      return { previous, decision, stored, recipients };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  throw new KsefJobError(`The notification state of '${codeUnit}' kept changing; no decision could be stored.`);
}

/** A failure e-mail that reached nobody is still owed: give the interval back, unless someone moved on. */
async function releaseClaim(deps: NotifyDeps, claimed: Claim, logger: Logger): Promise<void> {
  try {
    await deps.notifications.putState(stateWithoutMail(claimed.previous, claimed.decision), claimed.stored.version);
  } catch (error) {
    if (error instanceof VersionConflictError) return;
    logger.error('Could not record that a notification e-mail was not delivered.', { codeUnit: claimed.stored.codeUnit, error: describe(error) });
  }
}

async function sendToAll(deps: NotifyDeps, notice: RunOutcomeNotice, claimed: Claim, logger: Logger): Promise<EmailLogEntry[]> {
  const facts = factsFor(notice, claimed, deps.config.intervalMinutes);
  const emails: EmailLogEntry[] = [];
  for (const [language, to] of groupByLanguage(claimed.recipients)) {
    const rendered = renderEmail(facts, language, deps.config);
    const sentAt = deps.clock.now();
    const base = {
      id: deps.ids.runId(sentAt),
      codeUnit: notice.entry.codeUnit,
      kind: facts.kind,
      language,
      runId: notice.run.runId,
      from: deps.config.from,
      to,
      subject: rendered.subject,
      sentAt: sentAt.toISOString(),
    };
    let email: EmailLogEntry;
    try {
      const { messageId } = await deps.mailer.send({ from: deps.config.from, to, ...rendered });
      email = { ...base, status: 'sent', messageId, error: null };
    } catch (error) {
      email = { ...base, status: 'failed', messageId: null, error: describe(error) };
      logger.error('A notification e-mail could not be sent.', { codeUnit: base.codeUnit, runId: base.runId, to, error: email.error });
    }
    emails.push(email);
    deps.metrics.add(METRIC.emails, 'Count', 1, { [DIMENSION.kind]: email.kind, [DIMENSION.result]: email.status });
    await deps.notifications.appendEmail(email).catch((error: unknown) => {
      logger.error('A notification e-mail could not be written to the e-mail log.', { mailId: email.id, codeUnit: email.codeUnit, error: describe(error) });
    });
  }
  return emails;
}

function factsFor(notice: RunOutcomeNotice, claimed: Claim, intervalMinutes: number): EmailFacts {
  const { entry, run } = notice;
  const at = run.finishedAt ?? run.startedAt;
  if (claimed.decision.send === 'recovery') {
    return {
      kind: 'recovery',
      codeUnit: entry.codeUnit,
      description: entry.description,
      runId: run.runId,
      trigger: run.trigger,
      recoveredAt: at,
      failingSince: claimed.previous.failingSince,
      failedRuns: claimed.previous.consecutiveFailures,
      nextRunAt: notice.nextRunAt !== undefined ? notice.nextRunAt : entry.nextRunAt,
    };
  }
  return {
    kind: 'failure',
    codeUnit: entry.codeUnit,
    description: entry.description,
    runId: run.runId,
    trigger: run.trigger,
    attempt: run.attempt,
    maxAttempts: entry.maxAttempts,
    failedAt: at,
    errorMessage: run.errorMessage ?? 'The run failed without an error message.',
    errorStack: run.errorStack,
    autoRestart: entry.autoRestart,
    restartAt: notice.restartAt !== undefined ? notice.restartAt : entry.autoRestart ? entry.nextRunAt : null,
    failingSince: claimed.decision.next.failingSince ?? at,
    consecutiveFailures: claimed.decision.next.consecutiveFailures,
    unmailedFailures: claimed.decision.unmailedBefore,
    intervalMinutes,
  };
}

/**
 * The entry's recipients and the global ones, each address once (compared without letter case).
 * An address on the entry keeps the entry's language: it is the more specific choice.
 */
export function mergeRecipients(entryRecipients: readonly NotificationRecipient[], globalRecipients: readonly NotificationRecipient[]): NotificationRecipient[] {
  const byAddress = new Map<string, NotificationRecipient>();
  for (const recipient of [...entryRecipients, ...globalRecipients]) {
    const key = recipient.email.trim().toLowerCase();
    if (!byAddress.has(key)) byAddress.set(key, { email: recipient.email.trim(), language: recipient.language });
  }
  return [...byAddress.values()];
}

/** One e-mail per language: Polish first, then English; addresses in the order given. */
export function groupByLanguage(recipients: readonly NotificationRecipient[]): [Language, string[]][] {
  const groups = new Map<Language, string[]>();
  for (const language of ['pl', 'en'] as const) {
    const addresses = recipients.filter((r) => r.language === language).map((r) => r.email);
    if (addresses.length > 0) groups.set(language, addresses);
  }
  return [...groups.entries()];
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
