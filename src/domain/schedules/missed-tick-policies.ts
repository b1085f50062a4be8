/** What a schedule does with ticks missed while no scheduler ran. Dependency-free: the web console lists these too. */
export const MISSED_TICK_POLICIES = ['run-once', 'skip'] as const;
export type MissedTickPolicy = (typeof MISSED_TICK_POLICIES)[number];
