import { useEffect } from 'react';

/** The page sizes the tables offer; the first is the default. */
export const PAGE_SIZES = [20, 50, 100];

/** The page size of a table until its viewer picks another. */
export const DEFAULT_PAGE_SIZE = PAGE_SIZES[0];

/**
 * Moves to the last page when the page shown is beyond it (jobs recovered
 * or were deleted, or an old link).
 */
export function useStayWithinPages(options: {
  totalCount: number | undefined;
  page: number;
  pageSize: number;
  goToPage(page: number): void;
}) {
  const { totalCount, page, pageSize, goToPage } = options;
  useEffect(() => {
    if (totalCount !== undefined && page > 0 && page * pageSize >= totalCount) {
      goToPage(Math.max(0, Math.ceil(totalCount / pageSize) - 1));
    }
  }, [totalCount, page, pageSize, goToPage]);
}

/**
 * The paging props of a table paged on the server (Backstage's Table):
 * the page shown, the count, and the page sizes on offer; a new page size
 * starts from the first page.
 */
export function serverPaging(props: {
  page: number;
  pageSize: number;
  totalCount: number;
  onPageChange: (page: number, pageSize: number) => void;
}) {
  return {
    page: props.page,
    totalCount: props.totalCount,
    onPageChange: props.onPageChange,
    onRowsPerPageChange: (pageSize: number) => props.onPageChange(0, pageSize),
    options: {
      paging: true,
      pageSize: props.pageSize,
      pageSizeOptions: PAGE_SIZES,
      search: false,
      sorting: false,
      padding: 'dense' as const,
    },
  };
}
