import { Alert, Button, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';

/** Recovery codes, shown once after enrolling or regenerating, with copy and download. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const text = codes.join('\n');
  const download = () => {
    const blob = new Blob(
      [`DIDtron recovery codes\nEach code works once, instead of a code from your authenticator app.\n\n${text}\n`],
      { type: 'text/plain' },
    );
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = 'didtron-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack gap="md">
      <Alert color="amber" variant="light" icon={<IconAlertTriangle size={18} />} title="Save these codes now">
        They are shown only this once. Each code signs you in one time if you lose your phone; keep them somewhere
        safe, such as a password manager.
      </Alert>
      <Paper withBorder p="md" radius="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))">
        <SimpleGrid cols={2} spacing="xs" verticalSpacing={6} data-testid="recovery-codes">
          {codes.map((code) => (
            <Text key={code} ff="monospace" size="md" ta="center">
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group grow>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              onClick={copy}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              color={copied ? 'green' : undefined}
            >
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={download} leftSection={<IconDownload size={16} />}>
          Download
        </Button>
      </Group>
    </Stack>
  );
}
