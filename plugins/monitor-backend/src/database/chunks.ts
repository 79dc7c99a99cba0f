/**
 * Splits items into chunks of at most `size`, so that no statement names
 * more values than a database takes (SQLite's bound parameters, PostgreSQL's
 * statement size).
 */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
