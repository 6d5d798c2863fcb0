import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { KsefJobError } from '../../domain/errors.js';
import { MailDeliveryError, type Mailer, type OutgoingEmail, type SentEmail } from '../../ports/mailer.js';

export interface SesMailerOptions {
  /** SES configuration set (event publishing, suppression); left out when absent. */
  readonly configurationSetName?: string | undefined;
}

/** SES answers that mean "this message will never go" (bad address, unverified identity, suspended account). */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

/** Throttling and SES's own trouble: worth another try later. */
const TRANSIENT = new Set(['TooManyRequestsException', 'LimitExceededException', 'InternalServiceErrorException', 'ThrottlingException']);

/**
 * The Mailer on Amazon SES v2 (SendEmail with Simple content, UTF-8). Locally the same adapter
 * talks to the SES-compatible outbox: only the client's endpoint differs, as with DynamoDB.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailerOptions = {},
  ) {}

  async send(message: OutgoingEmail): Promise<SentEmail> {
    if (message.to.length === 0) throw new MailDeliveryError('An e-mail needs at least one recipient.', false);
    const charset = 'UTF-8';
    try {
      const { MessageId } = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [...message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: charset },
              Body: { Text: { Data: message.text, Charset: charset }, Html: { Data: message.html, Charset: charset } },
            },
          },
          ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
        }),
      );
      if (!MessageId) throw new MailDeliveryError('SES accepted the message but returned no message id.', true);
      return { messageId: MessageId };
    } catch (error) {
      throw toMailDeliveryError(error);
    }
  }
}

export function toMailDeliveryError(error: unknown): Error {
  if (error instanceof KsefJobError) return error;
  const sdk = error as { name?: unknown; message?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const name = typeof sdk?.name === 'string' ? sdk.name : 'Error';
  const detail = typeof sdk?.message === 'string' && sdk.message !== '' ? sdk.message : String(error);
  const status = sdk?.$metadata?.httpStatusCode;
  // An error without an HTTP status never reached SES (connection refused, DNS, timeout): transient.
  const retryable = !PERMANENT.has(name) && (TRANSIENT.has(name) || sdk?.$fault === 'server' || status === undefined || status >= 500);
  return new MailDeliveryError(`SES SendEmail failed (${name}${status ? ` ${status}` : ''}: ${detail}).`, retryable, { cause: error });
}
