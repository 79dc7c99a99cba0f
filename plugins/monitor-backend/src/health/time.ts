/** The earliest of some times, leaving out the missing; null if none. */
export function earliest(
  ...times: Array<Date | null | undefined>
): Date | null {
  let first: Date | null = null;
  for (const time of times) {
    if (time && (!first || time < first)) {
      first = time;
    }
  }
  return first;
}
