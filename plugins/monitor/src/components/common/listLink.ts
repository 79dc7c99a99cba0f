/**
 * The way back from a job page to the list it was opened from: the list's
 * links carry its filters (its URL search) in the router's state.
 */

/** What a link from a list to a job page carries in the router's state. */
export type JobLinkState = { listSearch: string };

/**
 * The list a job page was opened from, with its filters, or the plain list.
 */
export function listLinkFrom(rootPath: string, state: unknown): string {
  const listSearch = (state as Partial<JobLinkState> | null)?.listSearch;
  return typeof listSearch === 'string' && listSearch.startsWith('?')
    ? `${rootPath}${listSearch}`
    : rootPath;
}

/**
 * The page's list of the jobs that need attention: the jobs the badge
 * counts, and no others.
 */
export function attentionListLink(rootPath: string): string {
  return `${rootPath}?attention=true`;
}
