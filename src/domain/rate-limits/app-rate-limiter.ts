import type { HeraldContext } from '../../context/herald-context.ts';
import { HeraldError } from '../../errors.ts';
import type { AppService } from '../apps/app-service.ts';
import { createTokenBuckets, type BucketLimits, type BucketState } from './token-buckets.ts';

/** `send`: accepting messages; `manage`: the other state-changing calls. */
export type RateLimitKind = 'send' | 'manage';

export type AppRateLimiter = ReturnType<typeof createAppRateLimiter>;

/**
 * Per-app API rate limits: each app has a `send` and a `manage` bucket, shared by all API
 * processes, sized by the app's `settings.rateLimits` or the configured defaults.
 */
export function createAppRateLimiter(context: HeraldContext, apps: AppService) {
  const buckets = createTokenBuckets(context);
  const defaults = context.config.rateLimits;

  async function limitsOf(appId: string, kind: RateLimitKind): Promise<BucketLimits> {
    const own = (await apps.settings(appId)).rateLimits;
    return kind === 'send'
      ? { ratePerSecond: own?.sendPerSecond ?? defaults.sendPerSecond, burst: own?.sendBurst ?? defaults.sendBurst }
      : { ratePerSecond: own?.managePerSecond ?? defaults.managePerSecond, burst: own?.manageBurst ?? defaults.manageBurst };
  }

  return {
    /** Charges `cost` to the app's bucket; the state is for the response headers, also when refused. */
    async take(appId: string, kind: RateLimitKind, cost: number): Promise<BucketState> {
      return buckets.take(`app:${appId}:${kind}`, await limitsOf(appId, kind), cost);
    },
  };
}

/** The refusal of a request over its app's limit (429 with Retry-After). */
export function rateLimited(kind: RateLimitKind, state: BucketState): HeraldError {
  const what = kind === 'send' ? 'sends' : 'management calls';
  return new HeraldError('throttled', 'RATE_LIMITED', `This app is over its rate limit for ${what} (${state.limit} at once); try again in ${state.retryAfterSeconds} seconds, or ask an admin to raise settings.rateLimits`, {
    retryAfterSeconds: state.retryAfterSeconds,
  });
}
