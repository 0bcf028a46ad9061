import 'mantine-datatable/styles.layer.css';

/**
 * The look every mantine-datatable shares (design_guidelines.md, Tables):
 * bordered panel with the card radius, 40 px+ rows, hover highlight.
 *
 *   <DataTable {...tableLook} records={…} columns={…} />
 */
export const tableLook = {
  withTableBorder: true,
  borderRadius: 'lg',
  verticalSpacing: 'sm',
  horizontalSpacing: 'md',
  highlightOnHover: true,
  backgroundColor: 'var(--didtron-surface)',
  minHeight: 0,
  // On a phone a wide table scrolls sideways instead of squeezing every cell into a column of words.
  defaultColumnProps: { noWrap: true },
} as const;

/** Rows per page of server-paginated tables. */
export const PAGE_SIZE = 20;
