import { CfnParameter, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { AWS_ENV } from '../../functions/wiring/aws-env.js';
import { NOTIFICATION_ENV } from '../../functions/wiring/notification-config.js';

export interface MailerProps {
  /** Default of the SenderAddress parameter; without one, deploy must pass the parameter. */
  readonly defaultSenderAddress?: string;
  /** At most one failure e-mail per queue per this many minutes. */
  readonly notificationIntervalMinutes: number;
  /** Shown in every e-mail's subject. */
  readonly environmentName: string;
}

/*
 * A practical e-mail pattern, not RFC 5322: CloudFormation refuses anything else before SES
 * would, with a message that names the parameter.
 */
const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';

/**
 * Failure and recovery e-mails through SES: the sender identity (an e-mail address given as the
 * stack parameter SenderAddress, verified by SES through a link it mails there), and a
 * configuration set with reputation metrics that keeps bounced and complaining addresses suppressed.
 */
export class Mailer extends Construct {
  readonly senderAddress: string;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;

  private readonly props: MailerProps;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.props = props;
    const sender = new CfnParameter(Stack.of(this), 'SenderAddress', {
      type: 'String',
      description: 'E-mail address the job queue notifications are sent from (an SES identity; SES mails it a verification link)',
      allowedPattern: EMAIL_PATTERN,
      constraintDescription: 'must be an e-mail address',
      ...(props.defaultSenderAddress ? { default: props.defaultSenderAddress } : {}),
    });
    this.senderAddress = sender.valueAsString;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Sender', {
      identity: Identity.email(this.senderAddress),
      configurationSet: this.configurationSet,
    });
  }

  /** What a sending function needs to know. */
  get environment(): Record<string, string> {
    return {
      [AWS_ENV.senderAddress]: this.senderAddress,
      [AWS_ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
    };
  }

  /**
   * What a function that sends the failure and recovery e-mails needs (functions/wiring/
   * notification-config.ts). The API's base URL, for the links in the e-mails, is added where the
   * API exists (the stack), since the API is built after the functions.
   */
  get notificationEnvironment(): Record<string, string> {
    return {
      [NOTIFICATION_ENV.from]: this.senderAddress,
      [NOTIFICATION_ENV.intervalMinutes]: String(this.props.notificationIntervalMinutes),
      [NOTIFICATION_ENV.environmentName]: this.props.environmentName,
      [NOTIFICATION_ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
    };
  }

  /** ses:SendEmail through this identity and configuration set, from the sender address only. */
  grantSend(grantee: IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.identity.emailIdentityArn,
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderAddress } },
      }),
    );
  }
}
