/**
 * The test suite's own switches and the environment child processes inherit, read here so
 * that `src/` (tests included) never reads process.env.
 */

/** `UPDATE_GOLDEN=1` rewrites the template golden files instead of comparing with them. */
export const updateGoldens = process.env.UPDATE_GOLDEN === '1';

/** The environment for Herald processes a test starts (PATH and the like), before its own settings. */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
