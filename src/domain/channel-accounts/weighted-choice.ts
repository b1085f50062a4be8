/**
 * Picks one of `entries` with a probability proportional to its weight, from `random` in [0, 1)
 * (Math.random in production, a seeded generator in tests). Weights are positive integers.
 */
export function chooseWeighted<T>(entries: ReadonlyArray<{ item: T; weight: number }>, random: () => number): T {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let point = random() * total;
  for (const entry of entries) {
    point -= entry.weight;
    if (point < 0) return entry.item;
  }
  return entries.at(-1)!.item;
}
