import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules', 'cdk.out', '.local'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The suite runs on the machine's Node (20 today), where every process of the AWS SDK would warn
    // that its releases after January 2027 need Node 22; README says which versions are supported,
    // and the Lambda bundles are tested on Node 22 (test/e2e/lambda-bundles.test.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
