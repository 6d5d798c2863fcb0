import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { TABLE_KEYS } from '../../functions/adapters/aws/table-layout.js';
import { acknowledgeWildcardResource } from './acknowledge.js';

/*
 * Item-level actions the functions use. Deliberately absent: table management, streams,
 * PartiQL, import/export. Transactions need no action of their own (IAM checks the item actions).
 */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * The single table: job queue entries, run logs and, later, documents and the e-mail log. Keys
 * come from functions/adapters/aws/table-layout.ts, the same constants the Dynamo adapters use.
 */
export class JobsTable extends Construct {
  readonly table: ITable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // The table holds the company's invoice pipeline state: never lose it to a stack update or delete.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1Name,
      partitionKey: { name: TABLE_KEYS.gsi1PartitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1SortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.table = table;
  }

  /** Read and write items (table and its indexes), nothing else. */
  grantItemAccess(grantee: IGrantable): void {
    this.table.grant(grantee, ...ITEM_ACTIONS);
    acknowledgeWildcardResource(
      grantee.grantPrincipal as unknown as IConstruct,
      `${this.table.tableArn}/index/*`,
      'Queries on the table\'s own secondary indexes (gsi1): the wildcard spans this table\'s indexes only.',
    );
  }
}
