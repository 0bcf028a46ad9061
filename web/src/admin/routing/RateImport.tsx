import { Alert, Button, Checkbox, FileInput, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { ApiError, problemMessage, sentence, unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { CANONICAL, canonicalLabel, type Mapping, mustImportInBackground, REQUIRED } from './deckFile';

export type ImportReport = components['schemas']['ImportReport'];
export type RowError = components['schemas']['RowError'];

/**
 * How a file is sent: checked only (`dryRun`), stored now, or queued
 * (`background`); with the sheet of a workbook to read and whether the
 * operator accepts the warnings (important-looking columns not imported).
 */
export interface SendOptions {
  dryRun: boolean;
  background: boolean;
  sheet: string | null;
  acceptWarnings: boolean;
}

/** The query parameters of the sheet and the accepted warnings, when set. */
export function readQuery({ sheet, acceptWarnings }: SendOptions): { sheet?: string; accept_warnings?: boolean } {
  return { ...(sheet ? { sheet } : {}), ...(acceptWarnings ? { accept_warnings: true } : {}) };
}

/**
 * An upload's answer: a rejected file (422 with a report) comes back as its
 * report, not as an error; anything else that failed throws.
 */
export function readReport(result: { data?: ImportReport; error?: unknown; response: Response }): ImportReport {
  const body = result.error as Partial<ImportReport> | undefined;
  if (result.response.status === 422 && body && body.status === 'rejected' && Array.isArray(body.errors)) return body as ImportReport;
  return unwrap(result);
}

interface RateImportProps {
  /** The panel's title: "Import a rate deck". */
  title: string;
  /** One sentence under it. */
  intro: string;
  fileLabel: string;
  send: (file: File, mapping: Mapping | null, options: SendOptions) => Promise<ImportReport>;
  /** After the rates were stored (or queued). */
  onImported?: (report: ImportReport) => void;
  /** What the rates do once stored: "they are now in force". */
  storedText: string;
  /**
   * Offers importing through the job queue (always, for files over 5 MB) and
   * shows a queued import's progress with this.
   */
  queued?: (report: ImportReport) => ReactNode;
}

/**
 * The rate file wizard: choose a file → the server checks it without storing
 * anything and says which column feeds each rate field → correct the mapping
 * and check again → import. All or nothing; a rejected file lists its bad
 * rows with their line numbers.
 */
export function RateImport({ title, intro, fileLabel, send, onImported, storedText, queued }: RateImportProps) {
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [check, setCheck] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [chosenBackground, setBackground] = useState(false);
  const [sheet, setSheet] = useState<string | null>(null);
  const [acceptWarnings, setAcceptWarnings] = useState(false);
  const forcedBackground = !!queued && !!file && mustImportInBackground(file.size);
  const background = !!queued && (chosenBackground || forcedBackground);

  async function run(
    dryRun: boolean,
    f: File | null = file,
    m: Mapping | null = headers ? mapping : null,
    chosen: { sheet: string | null; acceptWarnings: boolean } = { sheet, acceptWarnings },
  ) {
    if (!f) return;
    setError(null);
    setBusy(dryRun ? 'check' : 'import');
    try {
      const report = await send(f, m, { dryRun, background: !dryRun && background, ...chosen });
      // The server reads the file's headers and says which column it takes for each field;
      // the selects start from that and a person corrects it.
      if (report.headers.length > 0) {
        setHeaders(report.headers);
        if (!m) setMapping(report.mapping as Mapping);
      }
      if (dryRun) setCheck(report);
      else {
        setResult(report);
        setCheck(null);
        onImported?.(report);
      }
    } catch (e) {
      setCheck(null);
      setError(e instanceof ApiError && e.fields.length > 0 ? e.fields.map((p) => sentence(p.message)).join(' ') : problemMessage(e));
    } finally {
      setBusy(null);
    }
  }

  async function choose(f: File | null) {
    setFile(f);
    setCheck(null);
    setResult(null);
    setError(null);
    setHeaders(null);
    setSheet(null);
    setAcceptWarnings(false);
    if (!f) return;
    await run(true, f, null, { sheet: null, acceptWarnings: false });
  }

  const missing = headers ? REQUIRED.filter((c) => !mapping[c]) : [];
  const rejected = check?.status === 'rejected';
  return (
    <Paper withBorder p="md" radius="lg" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
        <FileInput
          label={fileLabel}
          placeholder="Choose a file"
          accept=".csv,.txt,.xlsx,.xls,.ods"
          leftSection={<IconFileSpreadsheet size={16} />}
          value={file}
          onChange={(f) => void choose(f)}
          clearable
        />
        {headers && (
          <Stack gap="xs" aria-label="Column mapping">
            <Text size="sm" fw={600}>
              Column mapping
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
              {CANONICAL.map((c) => (
                <Select
                  key={c}
                  label={canonicalLabel[c]}
                  withAsterisk={REQUIRED.includes(c)}
                  placeholder={REQUIRED.includes(c) ? 'Choose a column' : 'Not in the file'}
                  data={headers.filter((h) => h !== '').map((h) => ({ value: h, label: h }))}
                  value={mapping[c] ?? null}
                  onChange={(v) => {
                    setMapping((m) => {
                      const next = { ...m };
                      if (v) next[c] = v;
                      else delete next[c];
                      return next;
                    });
                    setCheck(null);
                  }}
                  clearable
                  size="xs"
                  comboboxProps={{ withinPortal: true }}
                />
              ))}
            </SimpleGrid>
          </Stack>
        )}
        {file && !headers && (
          <Text size="xs" c="dimmed">
            Columns of spreadsheets are recognised by the server from their headers.
          </Text>
        )}
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="The file cannot be read">
            {error}
          </Alert>
        )}
        {check && check.sheets.length > 1 && (
          <Select
            label="Sheet"
            description="The first sheet with a recognisable header is read unless you choose another."
            data={check.sheets}
            value={check.sheet ?? null}
            onChange={(v) => {
              setSheet(v);
              setHeaders(null);
              void run(true, file, null, { sheet: v, acceptWarnings });
            }}
            size="xs"
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        {check && (check.format || check.ignored.length > 0) && (
          <Text size="xs" c="dimmed" data-testid="deck-format">
            {check.format}
            {check.ignored.length > 0 ? `. Not imported: ${check.ignored.join(', ')}.` : ''}
          </Text>
        )}
        {check && check.warnings.length > 0 && (
          <Alert color="yellow" variant="light" icon={<IconAlertCircle size={18} />} title="Columns that look important are not imported" data-testid="deck-warnings">
            <Stack gap="xs">
              {check.warnings.map((w) => (
                <Text size="sm" key={w.column}>
                  {sentence(w.message)}
                </Text>
              ))}
              <Checkbox
                label="Import without these columns"
                description="Or map them to a column above."
                checked={acceptWarnings}
                onChange={(e) => {
                  const accepted = e.currentTarget.checked;
                  setAcceptWarnings(accepted);
                  void run(true, file, headers ? mapping : null, { sheet, acceptWarnings: accepted });
                }}
              />
            </Stack>
          </Alert>
        )}
        {check && !rejected && (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="deck-check">
            Checked: {check.rows.toLocaleString()} rates, no errors. Import to put them in force.
          </Alert>
        )}
        {check && rejected && <RowErrors report={check} title="This file would be rejected" />}
        {result && result.status === 'active' && (
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="deck-result">
            Imported {result.rows.toLocaleString()} rates{result.millis > 0 ? ` in ${result.millis.toLocaleString()} ms` : ''}; {storedText}.
          </Alert>
        )}
        {result && result.status === 'rejected' && <RowErrors report={result} title="Rejected: nothing changed" />}
        {result && result.status === 'queued' && queued?.(result)}
        {file && (
          <Group justify="space-between" gap="sm" wrap="wrap">
            {queued ? (
              <Checkbox
                label="Import in the background"
                description={forcedBackground ? 'Files over 5 MB always import in the background.' : 'Follow the progress here or in the deck history.'}
                checked={background}
                disabled={forcedBackground}
                onChange={(e) => setBackground(e.currentTarget.checked)}
              />
            ) : (
              <span />
            )}
            <Group gap="sm">
              <Button variant="default" disabled={missing.length > 0} loading={busy === 'check'} onClick={() => void run(true)}>
                Check again
              </Button>
              <Button
                leftSection={<IconUpload size={16} />}
                disabled={!file || !check || rejected || missing.length > 0}
                loading={busy === 'import'}
                onClick={() => void run(false)}
              >
                Import
              </Button>
            </Group>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** A file's bad rows: line, column and problem (the first 50 listed). */
export function RowErrors({ report, title }: { report: { error_count: number; errors: RowError[]; rows?: number }; title: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} data-testid="deck-errors">
      <Text size="sm" mb="xs">
        {report.error_count.toLocaleString()} {report.error_count === 1 ? 'row has a problem' : 'rows have problems'}
        {report.errors.length < report.error_count ? ` (the first ${report.errors.length.toLocaleString()} are listed)` : ''}.
      </Text>
      <Table withRowBorders={false} verticalSpacing={2} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Line</Table.Th>
            <Table.Th w={150}>Column</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.errors.slice(0, 50).map((e, i) => (
            <Table.Tr key={i}>
              <Table.Td ff="monospace">{e.line}</Table.Td>
              <Table.Td>{e.column}</Table.Td>
              <Table.Td>{sentence(e.message)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.errors.length > 50 && (
        <Text size="xs" mt="xs">
          and {(report.errors.length - 50).toLocaleString()} more
        </Text>
      )}
    </Alert>
  );
}
