import * as z from 'zod/mini';

/** Official API bases (README §1); the client never uses the pre-2025-12 `ksef-*.mf.gov.pl` hosts. */
export const KSEF_BASE_URLS = {
  TEST: 'https://api-test.ksef.mf.gov.pl/v2',
  DEMO: 'https://api-demo.ksef.mf.gov.pl/v2',
  PROD: 'https://api.ksef.mf.gov.pl/v2',
} as const;

export type KsefEnvironmentName = keyof typeof KSEF_BASE_URLS;

const nipPattern = /^[1-9]((\d[1-9])|([1-9]\d))\d{7}$/;

const positiveInt = (fallback: number) => z._default(z.int().check(z.positive()), fallback);

/** Where the client talks to: a named environment, or any base URL (the simulator's, a proxy's). */
export const ksefEnvironmentSchema = z.pipe(
  z.object({
    /** TEST | DEMO | PROD, or LOCAL / CUSTOM with `baseUrl`. */
    name: z._default(z.enum(['TEST', 'DEMO', 'PROD', 'LOCAL', 'CUSTOM']), 'TEST'),
    baseUrl: z.optional(z.url()),
    /** Per-request time limit; the upload/download of large parts gets its own. */
    requestTimeoutMs: positiveInt(30_000),
    transferTimeoutMs: positiveInt(300_000),
    /** How long the public-key list is trusted before it is fetched again. */
    publicKeyTtlMs: positiveInt(60 * 60 * 1000),
  }),
  z.transform((env, ctx) => {
    const baseUrl = env.baseUrl ?? (env.name in KSEF_BASE_URLS ? KSEF_BASE_URLS[env.name as KsefEnvironmentName] : undefined);
    if (!baseUrl) {
      ctx.issues.push({ code: 'custom', path: ['baseUrl'], message: `environment ${env.name} needs a baseUrl`, input: env });
      return z.NEVER;
    }
    return { ...env, baseUrl: baseUrl.replace(/\/+$/, '') };
  }),
);

export type KsefEnvironmentInput = z.input<typeof ksefEnvironmentSchema>;
export type KsefEnvironment = z.output<typeof ksefEnvironmentSchema>;

export const nipSchema = z.string().check(z.regex(nipPattern, 'a NIP is 10 digits, not starting with 0'));

export function parseKsefEnvironment(input: KsefEnvironmentInput): KsefEnvironment {
  return ksefEnvironmentSchema.parse(input);
}
