import { Group, Text } from '@mantine/core';
import classes from './Logo.module.css';

interface LogoProps {
  /** Hide the word mark on very small screens. */
  compact?: boolean;
}

/** The DIDtron mark (a voice waveform) and word mark. The mark is always the brand blue; portals show their accent elsewhere. */
export function Logo({ compact = false }: LogoProps) {
  return (
    <Group gap={10} wrap="nowrap" className={classes.logo}>
      <svg className={classes.mark} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" />
        <g>
          <rect x="7" y="12" width="3" height="8" rx="1.5" />
          <rect x="12.5" y="7" width="3" height="18" rx="1.5" />
          <rect x="18" y="10" width="3" height="12" rx="1.5" />
          <rect x="23.5" y="13.5" width="3" height="5" rx="1.5" />
        </g>
      </svg>
      <Text component="span" className={classes.word} visibleFrom={compact ? 'xs' : undefined}>
        DIDtron
      </Text>
    </Group>
  );
}
