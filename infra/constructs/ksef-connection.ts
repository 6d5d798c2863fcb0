import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KSEF_ENV_VARS } from '../../functions/adapters/ksef/client/config-from-env.js';
import { AWS_ENV } from '../../functions/wiring/aws-env.js';
import type { InfraConfig } from '../config.js';
import { acknowledgeRule } from './acknowledge.js';

/*
 * The NIP's shape as KSeF accepts it (functions/domain/nip.ts). CloudFormation cannot compute the
 * check digit: a NIP given as context is checked in full at synth (infra/config.ts), one given only
 * as a parameter at deploy is checked in full by the functions when they start.
 */
const NIP_PATTERN = '^[1-9]((\\d[1-9])|([1-9]\\d))\\d{7}$';

export interface KsefConnectionProps {
  readonly config: Pick<InfraConfig, 'stackName' | 'ksefEnv' | 'ksefBaseUrl' | 'ksefNip' | 'ksefSecretArn'>;
}

/**
 * Where and as whom the code units talk to KSeF: the environment (TEST, DEMO, PROD or a base
 * URL), the company's NIP (the stack parameter KsefNip) and its credentials.
 *
 * The credentials live in Secrets Manager only: the functions get the secret's ARN and read the
 * value at runtime (functions/wiring/ksef.ts; the fields are those of credentials-from-secret.ts), so it is never in an environment variable, a template or an output. Without a
 * configured secret the stack creates one holding a placeholder that the functions refuse with a
 * clear message until an admin puts the real JSON in it (see infra/README.md).
 */
export class KsefConnection extends Construct {
  readonly secret: ISecret;
  readonly nip: string;
  private readonly config: KsefConnectionProps['config'];

  constructor(scope: Construct, id: string, props: KsefConnectionProps) {
    super(scope, id);
    this.config = props.config;
    const nip = new CfnParameter(Stack.of(this), 'KsefNip', {
      type: 'String',
      description: 'NIP of the company (10 digits): its KSeF context; documents of another seller are refused',
      allowedPattern: NIP_PATTERN,
      constraintDescription: 'must be a NIP: 10 digits, the first not 0',
      ...(props.config.ksefNip ? { default: props.config.ksefNip } : {}),
    });
    this.nip = nip.valueAsString;

    if (props.config.ksefSecretArn) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Credentials', props.config.ksefSecretArn);
    } else {
      const secret = new Secret(this, 'Credentials', {
        secretName: `${props.config.stackName}/ksef-credentials`,
        description:
          'KSeF credentials of the job queues, as JSON: {"certificatePem","privateKeyPem","privateKeyPassphrase"?} or {"token"} (a PKCS#12 converted to PEM)',
        // A placeholder, never a credential: the real JSON is put by an admin after the deploy.
        generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'placeholder', excludePunctuation: true },
        // The credentials are the company's; deleting the stack must not destroy them.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledgeRule(
        secret,
        'SMG4',
        'KSeF tokens and certificates are issued by KSeF to the company (in its web application, with a qualified signature); a Lambda cannot rotate them, an admin replaces the value.',
      );
      this.secret = secret;
    }
  }

  /** Where KSeF is and which company: for the code units and the API (which refuses other sellers). */
  get environment(): Record<string, string> {
    return {
      [KSEF_ENV_VARS.env]: this.config.ksefEnv,
      ...(this.config.ksefBaseUrl ? { [KSEF_ENV_VARS.baseUrl]: this.config.ksefBaseUrl } : {}),
      [KSEF_ENV_VARS.nip]: this.nip,
    };
  }

  /** Where the credentials are: for the code units only. */
  get credentialsEnvironment(): Record<string, string> {
    return { [AWS_ENV.ksefSecretArn]: this.secret.secretArn };
  }

  /** secretsmanager:GetSecretValue on this secret and nothing else (not even DescribeSecret). */
  grantReadCredentials(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
  }
}
