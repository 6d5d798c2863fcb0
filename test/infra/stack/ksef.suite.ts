import { describe, expect, test } from 'vitest';
import { KSEF_ENV_VARS } from '../../../functions/adapters/ksef/client/config-from-env.js';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { isValidNip } from '../../../functions/domain/nip.js';
import { AWS_ENV } from '../../../functions/wiring/aws-env.js';
import { CONFIGURED, configured, quiet } from '../shared-stacks.js';
import type { TestStack } from '../make-test-stack.js';
import { asList, lambdaFunction, lambdaFunctions, render, resourcesOfType, statementsOfRole } from '../template-helpers.js';

const prefix = quiet.config.stackName;
const codeUnitNames = CODE_UNIT_IDS.map((id) => `${prefix}-${id}`).sort();
const [createdSecret] = resourcesOfType(quiet.template, 'AWS::SecretsManager::Secret');
const createdSecretArn = `{${createdSecret?.logicalId}}`;

/** The variables a person would use to hand a function the credentials themselves (local mode reads them). */
const CREDENTIAL_VARIABLES = [
  KSEF_ENV_VARS.token,
  KSEF_ENV_VARS.certificatePath,
  KSEF_ENV_VARS.privateKeyPath,
  KSEF_ENV_VARS.privateKeyPassphrase,
  KSEF_ENV_VARS.pkcs12Path,
  KSEF_ENV_VARS.pkcs12Password,
];

/** Functions allowed any secretsmanager action, with the rendered secrets. */
function secretReaders({ template }: TestStack): Map<string, { actions: string[]; secrets: string[] }> {
  const readers = new Map<string, { actions: string[]; secrets: string[] }>();
  for (const fn of lambdaFunctions(template)) {
    const statements = statementsOfRole(template, fn.roleLogicalId).filter((s) => asList(s.Action).some((a) => a.startsWith('secretsmanager:')));
    if (statements.length === 0) continue;
    readers.set(fn.name, {
      actions: statements.flatMap((s) => asList(s.Action)),
      secrets: statements.flatMap((s) => asList(s.Resource).map(render)),
    });
  }
  return readers;
}

const both = [
  ['a created secret', quiet, createdSecretArn],
  ['a configured secret', configured, CONFIGURED.ksefSecretArn],
] as const;

describe('the KSeF credentials', () => {
  test('the stack creates a secret for the KSeF credentials, named after the stack and kept when the stack goes', () => {
    const raw = quiet.template.toJSON().Resources[createdSecret?.logicalId ?? ''];

    expect(resourcesOfType(quiet.template, 'AWS::SecretsManager::Secret')).toHaveLength(1);
    expect(createdSecret?.properties.Name).toBe(`${prefix}/ksef-credentials`);
    expect(raw).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the created secret holds a generated placeholder, never a value written in the template', () => {
    expect(createdSecret?.properties).not.toHaveProperty('SecretString');
    expect(createdSecret?.properties.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{}', GenerateStringKey: 'placeholder' });
  });

  test.each(both)('only the code-unit functions may read the KSeF secret (%s)', (_case, stack, secretArn) => {
    const readers = secretReaders(stack);

    expect([...readers.keys()].sort()).toEqual(codeUnitNames);
    for (const [name, access] of readers) {
      expect(access.actions, name).toEqual(['secretsmanager:GetSecretValue']);
      expect(access.secrets, name).toEqual([secretArn]);
    }
  });

  test.each(both)('the API may not read the KSeF secret (%s)', (_case, stack) => {
    const api = lambdaFunction(stack.template, `${prefix}-api`);
    const actions = statementsOfRole(stack.template, api.roleLogicalId).flatMap((s) => asList(s.Action));

    expect(actions.filter((action) => action.startsWith('secretsmanager:') || action.startsWith('kms:'))).toEqual([]);
  });

  test.each(both)('the code units are told where the secret is, and no other function is (%s)', (_case, stack, secretArn) => {
    for (const fn of lambdaFunctions(stack.template)) {
      if (codeUnitNames.includes(fn.name)) expect(render(fn.environment[AWS_ENV.ksefSecretArn]), fn.name).toBe(secretArn);
      else expect(fn.environment, fn.name).not.toHaveProperty(AWS_ENV.ksefSecretArn);
    }
  });

  test.each(both)('no function gets the KSeF credentials in its environment (%s)', (_case, stack) => {
    for (const fn of lambdaFunctions(stack.template)) {
      for (const variable of CREDENTIAL_VARIABLES) expect(fn.environment, `${fn.name} ${variable}`).not.toHaveProperty(variable);
    }
    // Neither a dynamic reference that CloudFormation would resolve into the value, nor the value itself.
    expect(JSON.stringify(stack.template.toJSON())).not.toMatch(/resolve:secretsmanager|"SecretString"/);
  });

  test.each(both)('the stack outputs the secret\'s ARN for the admin, never its value (%s)', (_case, stack, secretArn) => {
    const outputs = stack.template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(render(outputs.KsefSecretArn?.Value)).toBe(secretArn);
  });

  test('a secret given in the configuration is used instead of a new one', () => {
    expect(resourcesOfType(configured.template, 'AWS::SecretsManager::Secret')).toEqual([]);
  });
});

describe('the KSeF connection', () => {
  const nipParameter = (stack: TestStack) => stack.template.toJSON().Parameters.KsefNip as { Type: string; AllowedPattern: string; Default?: string };

  test('the company NIP is a stack parameter that deploy must give unless it is configured', () => {
    expect(nipParameter(quiet)).toMatchObject({ Type: 'String' });
    expect(nipParameter(quiet)).not.toHaveProperty('Default');
    expect(nipParameter(configured).Default).toBe(CONFIGURED.ksefNip);
  });

  test('the NIP parameter accepts NIPs and refuses what KSeF would refuse', () => {
    const pattern = new RegExp(nipParameter(quiet).AllowedPattern);

    expect(isValidNip('5261040828')).toBe(true);
    expect(pattern.test('5261040828')).toBe(true);
    for (const bad of ['526104082', '52610408281', '0261040828', '5001040828', '526-104-08-28', ' 5261040828']) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });

  test('the code units and the API are told the company NIP; the watchdog is not', () => {
    for (const fn of lambdaFunctions(quiet.template)) {
      if (fn.name.endsWith('-watchdog')) expect(fn.environment, fn.name).not.toHaveProperty(KSEF_ENV_VARS.nip);
      else expect(fn.environment[KSEF_ENV_VARS.nip], fn.name).toEqual({ Ref: 'KsefNip' });
    }
  });

  test('without configuration the code units talk to KSeF TEST at its own address', () => {
    for (const name of [...codeUnitNames, `${prefix}-api`]) {
      const fn = lambdaFunction(quiet.template, name);

      expect(fn.environment[KSEF_ENV_VARS.env], name).toBe('TEST');
      expect(fn.environment, name).not.toHaveProperty(KSEF_ENV_VARS.baseUrl);
    }
  });

  test('the configured KSeF environment and base URL reach the code units', () => {
    for (const name of codeUnitNames) {
      const fn = lambdaFunction(configured.template, name);

      expect(fn.environment[KSEF_ENV_VARS.env], name).toBe('PROD');
      expect(fn.environment[KSEF_ENV_VARS.baseUrl], name).toBe(CONFIGURED.ksefBaseUrl);
    }
  });

  test('the watchdog knows nothing of KSeF', () => {
    const watchdog = lambdaFunction(configured.template, `${prefix}-watchdog`);

    expect(Object.keys(watchdog.environment).filter((name) => name.startsWith('KSEF_'))).toEqual([]);
  });
});
