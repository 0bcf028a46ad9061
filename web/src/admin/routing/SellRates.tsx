import { Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { Mapping } from './deckFile';
import { type ImportReport, RateImport, readQuery, readReport, type SendOptions } from './RateImport';
import { RatesTable } from './RatesTable';

const sellRatesKey = (id: string) => ['sell-rates', id] as const;

/** Sends an uploaded card's rates file; a rejected file (422 with a report) comes back as its report. */
async function sendSellRates(cardId: string, file: File, mapping: Mapping | null, options: SendOptions): Promise<ImportReport> {
  const result = await api.POST('/api/v1/rate-cards/{id}/rates', {
    params: {
      path: { id: cardId },
      query: { filename: file.name, dry_run: options.dryRun, ...(mapping ? { mapping: JSON.stringify(mapping) } : {}), ...readQuery(options) },
    },
    body: file as unknown as number[],
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  return readReport(result);
}

/** The rates of a customer rate card whose rates are uploaded: the upload wizard and the card's rates. */
export function SellRates({ cardId, canWrite }: { cardId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  return (
    <Stack gap="lg">
      {canWrite && (
        <RateImport
          title="Upload the card’s rates"
          intro="The customer’s price per minute for each prefix, in the same formats and columns as a carrier deck. All or nothing: one bad row rejects the file and the card keeps its rates; a good file replaces them all."
          fileLabel="Rates file"
          storedText="customers on this card pay them now"
          send={(file, mapping, options) => sendSellRates(cardId, file, mapping, options)}
          onImported={(report) => {
            void queryClient.invalidateQueries({ queryKey: sellRatesKey(cardId) });
            if (report.status === 'active') notifications.show({ color: 'green', message: `Rates uploaded: ${report.rows.toLocaleString()} rates` });
          }}
        />
      )}
      <RatesTable
        title="Sell rates"
        queryKey={sellRatesKey(cardId)}
        load={async (query) => unwrap(await api.GET('/api/v1/rate-cards/{id}/rates', { params: { path: { id: cardId }, query } }))}
        emptyTitle="No rates yet"
        empty="Upload a file to give this card its rates. Until then its customers have no route: a call needs a sell rate."
      />
    </Stack>
  );
}
