import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useCustomerSearch } from './directory';

interface CustomerSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> {
  value: string | null;
  onChange: (id: string | null) => void;
  /** The chosen customer's name, when it is not among the search results. */
  valueLabel?: string;
}

/** A customer, found by name on the server as you type. */
export function CustomerSelect({ value, onChange, valueLabel, ...props }: CustomerSelectProps) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search, 250);
  const results = useCustomerSearch(query === valueLabel ? '' : query);
  const data = (results.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (value && !data.some((d) => d.value === value)) data.unshift({ value, label: valueLabel ?? value });
  return (
    <Select
      placeholder="Search customers by name"
      {...props}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by name.
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No customer has that name'}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
