import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * cdk-nag's AWS Solutions rules run at every synth and fail it on a violation. Each accepted
 * finding is acknowledged next to the construct it concerns, with the reason.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
