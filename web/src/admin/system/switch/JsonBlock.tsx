import { ActionIcon, Box, Code, Collapse, CopyButton, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronRight, IconCopy } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { jsonSummary, prettyJson } from './sync';

interface JsonBlockProps {
  /** "Request", "Response", "Body". */
  label: string;
  value: unknown;
  /** Open at first. */
  defaultOpen?: boolean;
}

/**
 * A JSON body behind a toggle: "▸ Request · 7 fields", opening to the indented JSON (scrolling
 * when long) with a copy button. Nothing to show reads "Request · empty".
 */
export function JsonBlock({ label, value, defaultOpen = false }: JsonBlockProps) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  const text = prettyJson(value);
  const empty = value === null || value === undefined;
  if (empty) {
    return (
      <Text size="xs" c="dimmed">
        {label} · empty
      </Text>
    );
  }
  return (
    <Box miw={0}>
      <UnstyledButton onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls={id} style={{ borderRadius: 4 }}>
        <Group gap={4} wrap="nowrap">
          <IconChevronRight size={14} style={{ transform: open ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }} aria-hidden />
          <Text size="xs" fw={600}>
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            · {jsonSummary(value)}
          </Text>
        </Group>
      </UnstyledButton>
      <Collapse expanded={open} id={id}>
        <Box pos="relative" mt={6}>
          <Code block style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre', fontSize: 12 }}>
            {text}
          </Code>
          <CopyButton value={text} timeout={1500}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`} withArrow>
                <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} size="sm" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`} pos="absolute" top={6} right={6}>
                  {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Box>
      </Collapse>
    </Box>
  );
}
