import { Duration, RemovalPolicy, cx_api as cxapi } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { AWS_ENV } from '../../functions/wiring/aws-env.js';
import { acknowledgeWildcardResource } from './acknowledge.js';

/** The first segment of every document blob key (functions/ports/document-store.ts `documentBlobKeys`). */
export const DOCUMENT_PREFIXES = ['outgoing', 'incoming', 'upo'] as const;
export type DocumentPrefix = (typeof DOCUMENT_PREFIXES)[number];

/** What one function may do with the documents. */
export interface DocumentAccess {
  /** Prefixes it writes. A writer may also read what it writes: see `grantAccess`. */
  readonly write?: readonly DocumentPrefix[];
  readonly read?: readonly DocumentPrefix[];
  /**
   * s3:ListBucket, so that reading a key that does not exist answers 404 NoSuchKey instead of
   * 403 AccessDenied (S3 hides absence from those who may not list). Only for a function whose
   * callers legitimately ask for blobs that may not be there yet.
   */
  readonly list?: boolean;
}

/** How long the record of who read or wrote which invoice is kept. */
const ACCESS_LOG_RETENTION = Duration.days(731);

/**
 * The document blobs: outgoing invoices (FA(3) XML as submitted), incoming invoices and UPOs.
 * They are the company's tax records, so the bucket is private (all public access blocked, TLS
 * only), encrypted (SSE-S3), versioned (an overwrite or delete by mistake can be undone; the
 * runtime itself writes each key once, conditionally), kept when the stack goes, and every
 * request to it is recorded in a server access log bucket of its own.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: IBucket;
  readonly accessLogs: IBucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Log delivery through a bucket policy (logging.s3.amazonaws.com, from the documents bucket
    // only) instead of the legacy LogDeliveryWrite ACL, so that ACLs stay disabled. Set on this
    // construct, before its buckets exist, so the rest of the app is unaffected.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    // Server access logs can be delivered only to SSE-S3 buckets, hence no KMS here either. cdk-nag
    // does not ask a log destination to log its own access (AwsSolutions-S1).
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.accessLogs = accessLogs;

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      // Invoices must be kept for years (VAT records): no expiry, and never deleted with the stack.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** What a function that stores or reads documents needs to know. */
  get environment(): Record<string, string> {
    return { [AWS_ENV.documentsBucket]: this.bucket.bucketName };
  }

  /**
   * Object-level access under the given prefixes only. A writer is also given s3:GetObject on what
   * it writes: the store's puts are conditional (If-None-Match), and after a 412 it reads the
   * object back to tell an idempotent retry (same bytes) from a conflict.
   */
  grantAccess(grantee: IGrantable, access: DocumentAccess): void {
    const principal = grantee.grantPrincipal;
    const write = access.write ?? [];
    const read = [...new Set([...(access.read ?? []), ...write])];
    if (write.length > 0) {
      principal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: write.map((p) => this.objectsUnder(p)) }));
    }
    if (read.length > 0) {
      principal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: read.map((p) => this.objectsUnder(p)) }));
    }
    for (const prefix of read) {
      acknowledgeWildcardResource(
        principal as unknown as IConstruct,
        this.objectsUnder(prefix),
        `Document blobs are created at runtime, one key per invoice or UPO; the wildcard spans the ${prefix}/ prefix of this bucket only.`,
      );
    }
    if (access.list) {
      principal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    }
  }

  private objectsUnder(prefix: DocumentPrefix): string {
    return this.bucket.arnForObjects(`${prefix}/*`);
  }
}
