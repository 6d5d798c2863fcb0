import { KsefJobError } from '../domain/errors.js';

/** One e-mail, one language, possibly several recipients (all in To). */
export interface OutgoingEmail {
  /** The sender: on AWS an address of the verified SES identity. */
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface SentEmail {
  /** The id the mail service gave the message (SES MessageId). */
  readonly messageId: string;
}

/** Sends e-mail: SES on AWS, the local SES-compatible outbox in local mode (the same adapter). */
export interface Mailer {
  /** Fails with MailDeliveryError; `retryable` tells whether trying again later may help. */
  send(message: OutgoingEmail): Promise<SentEmail>;
}

/** The mail service refused or could not take a message. */
export class MailDeliveryError extends KsefJobError {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
