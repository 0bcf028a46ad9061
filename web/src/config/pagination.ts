/** "21–40 of 132" under every paginated table (mantine-datatable's default reads "21 - 40 / 132"). */
export function paginationText({ from, to, totalRecords }: { from: number; to: number; totalRecords: number }): string {
  return `${from}–${to} of ${totalRecords.toLocaleString()}`;
}
