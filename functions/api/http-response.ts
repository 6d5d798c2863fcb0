import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ProblemDetails } from './problem.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const NO_STORE = { 'cache-control': 'no-store' } as const;

export function jsonResponse(statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Bytes as they are stored (XML downloads), base64 as API Gateway expects binary bodies: the
 * caller gets exactly the bytes whose hash KSeF knows, whatever their encoding.
 */
export function bytesResponse(statusCode: number, bytes: Uint8Array, headers: Readonly<Record<string, string>>): ApiResult {
  return {
    statusCode,
    headers: { ...NO_STORE, ...headers },
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    isBase64Encoded: true,
  };
}

export function noContent(headers: Readonly<Record<string, string>> = {}): ApiResult {
  return { statusCode: 204, headers: { ...NO_STORE, ...headers } };
}

export function problemResponse(problem: ProblemDetails, headers: Readonly<Record<string, string>> = {}): ApiResult {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...NO_STORE, ...headers },
    body: JSON.stringify(problem),
  };
}

/** Strong entity tag of an entry version; If-Match compares against it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
