/**
 * What each plan allows. supabase/migrations' private.tier_limit enforces the hard limits with the same numbers;
 * packages/db/test/tiers.test.ts keeps the two equal. null means unlimited.
 */
export const TIERS = ['free', 'pro', 'team'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierLimits {
  projects: number | null;
  collaborators: number | null;
  version_retention_days: number | null;
  ai_words_per_month: number | null;
  exports_per_month: number | null;
  /** pictures (character and location images) an account may keep, in bytes */
  storage_bytes: number | null;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

export const TIER_LIMITS: Record<Tier, TierLimits> = {
  free: { projects: 3, collaborators: 2, version_retention_days: 30, ai_words_per_month: 5_000, exports_per_month: 5, storage_bytes: 100 * MB },
  pro: { projects: 50, collaborators: 10, version_retention_days: 365, ai_words_per_month: 200_000, exports_per_month: 100, storage_bytes: 5 * GB },
  team: { projects: null, collaborators: 50, version_retention_days: null, ai_words_per_month: 1_000_000, exports_per_month: null, storage_bytes: 50 * GB },
};

export const TIER_LABELS: Record<Tier, string> = { free: 'Free', pro: 'Pro', team: 'Team' };

export function limitFor(tier: Tier, limit: keyof TierLimits): number | null {
  return TIER_LIMITS[tier][limit];
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** Plans in order, so "upgrade" and "downgrade" can be told apart. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}
