import { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CODE_UNIT_IDS, CODE_UNITS, type CodeUnitId } from '../../functions/domain/catalogue.js';
import { functionName } from './function-names.js';
import { RuntimeFunction, handlerEntry } from './runtime-function.js';

export interface CodeUnitFunctionsProps {
  /** Prefix of every function name (the stack name). */
  readonly namePrefix: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
}

/**
 * One Lambda function per code unit of the catalogue, each running its queue's job.
 *
 * Timeout: 15 minutes, Lambda's maximum, because an entry's job timeout may be up to 900 s; the
 * run protocol, not Lambda, enforces the entry's own (shorter) timeout.
 *
 * No reserved concurrency: the conditional lease (Ready → InProcess) already makes a second
 * concurrent trigger log a Skipped run and stop, and reserving 1 would throttle a manual run that
 * overlaps a scheduled one into Lambda's async retries instead of an explicit Skipped row.
 */
export class CodeUnitFunctions extends Construct {
  readonly byCodeUnit: Readonly<Record<CodeUnitId, LambdaFunction>>;
  readonly all: readonly LambdaFunction[];

  constructor(scope: Construct, id: string, props: CodeUnitFunctionsProps) {
    super(scope, id);
    const byCodeUnit: Partial<Record<CodeUnitId, LambdaFunction>> = {};
    for (const codeUnit of CODE_UNIT_IDS) {
      byCodeUnit[codeUnit] = new RuntimeFunction(this, pascalCase(codeUnit), {
        functionName: functionName(props.namePrefix, codeUnit),
        entry: handlerEntry(`handlers/code-units/${codeUnit}.ts`),
        description: `KSeF job queue: ${CODE_UNITS[codeUnit].displayName}`,
        timeout: Duration.minutes(15),
        memorySize: 1024,
        environment: props.environment,
        logRetention: props.logRetention,
      });
    }
    this.byCodeUnit = byCodeUnit as Record<CodeUnitId, LambdaFunction>;
    this.all = CODE_UNIT_IDS.map((codeUnit) => this.byCodeUnit[codeUnit]);
  }
}

const pascalCase = (kebab: string): string =>
  kebab.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
