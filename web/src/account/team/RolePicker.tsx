import { List, Select, Stack, Text } from '@mantine/core';
import type { components } from '../../api/schema';

type RoleOption = components['schemas']['RoleOption'];

interface RolePickerProps {
  /** The roles of this kind of account, most powerful first (GET /api/v1/team). */
  roles: RoleOption[];
  value: string;
  onChange: (code: string) => void;
  label?: string;
  description?: string;
  error?: string;
}

/**
 * A role picker that says what the chosen role may do, under the list. Roles you may not hand
 * out (they allow more than your own role) are shown but disabled; the server refuses them anyway.
 */
export function RolePicker({ roles, value, onChange, label = 'Role', description, error }: RolePickerProps) {
  const chosen = roles.find((r) => r.code === value);
  return (
    <Stack gap={6}>
      <Select
        label={label}
        description={description}
        required
        data={roles.map((r) => ({ value: r.code, label: r.label, disabled: !r.grantable }))}
        value={value}
        onChange={(v) => onChange(v ?? '')}
        allowDeselect={false}
        error={error}
        comboboxProps={{ withinPortal: true }}
      />
      {chosen && <RoleAllows role={chosen} />}
    </Stack>
  );
}

/** What a role allows, as a short list under its one-line description. */
export function RoleAllows({ role }: { role: RoleOption }) {
  return (
    <Stack gap={4} aria-label={`What the ${role.label} role allows`}>
      <Text size="xs" c="dimmed">
        {role.description}
      </Text>
      <List size="xs" spacing={2} c="dimmed">
        {role.allows.map((a) => (
          <List.Item key={a}>{a}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
