import '@mantine/dates/styles.layer.css';

import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Code, CopyButton, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { applyProblem } from '../../components/forms';
import { RolePicker } from '../team/RolePicker';

type RoleOption = components['schemas']['RoleOption'];
type CreatedApiKey = components['schemas']['CreatedApiKey'];

const schema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'Must be at most 100 characters'),
  role: z.string().min(1, 'Choose a role'),
  expires: z.string().nullable(),
});
type Values = z.infer<typeof schema>;

/** The end of the chosen day, in the viewer's time zone, as RFC 3339. */
export function endOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 23, 59, 59).toISOString();
}

interface CreateApiKeyModalProps {
  roles: RoleOption[];
  onClose: () => void;
  onCreated: () => void;
}

/** Name, role and optional expiry; then the token, shown this once. */
export function CreateApiKeyModal({ roles, onClose, onCreated }: CreateApiKeyModalProps) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', role: roles.filter((r) => r.grantable).at(-1)?.code ?? '', expires: null },
  });
  const create = useMutation({
    mutationFn: async ({ name, role, expires }: Values) =>
      unwrap(await api.POST('/api/v1/api-keys', { body: { name, role, expires_at: expires ? endOfDay(expires) : null } })),
    onSuccess: (key) => {
      setCreated(key);
      onCreated();
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['name', 'role'], { expires_at: 'expires' })),
  });
  const { errors } = form.formState;
  const tomorrow = new Date(Date.now() + 86_400_000);

  const close = () => {
    if (created) notifications.show({ color: 'green', message: `API key ${created.name} created` });
    onClose();
  };

  return (
    <Modal
     
      opened
      onClose={close}
      title={created ? 'Copy your API key now' : 'Create an API key'}
      centered
      size={created ? 'lg' : 'md'}
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="amber" variant="light" icon={<IconAlertTriangle size={18} />} title="This is the only time you will see it">
            We keep only a hash of the secret. Copy the key into your application or password manager now; if you lose it,
            revoke it and create a new one.
          </Alert>
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              API key ({created.name})
            </Text>
            <Paper withBorder p="sm" radius="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))">
              <Group gap="sm" wrap="nowrap" justify="space-between">
                <Code data-testid="api-key-token" fz="sm" bg="transparent" style={{ wordBreak: 'break-all' }}>
                  {created.token}
                </Code>
                <CopyButton value={created.token}>
                  {({ copied, copy }) => (
                    <Button
                      size="xs"
                      variant={copied ? 'light' : 'default'}
                      color={copied ? 'green' : undefined}
                      leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                      onClick={copy}
                    >
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Paper>
            <Text size="xs" c="dimmed">
              Use it as <Code fz="xs">Authorization: Bearer {created.id}.…</Code>, or with HTTP Basic: the key id as the
              user name and the secret as the password.
            </Text>
          </Stack>
          <Group justify="flex-end">
            <Button onClick={close}>I have copied the key</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.handleSubmit((values) => {
            setFormError(null);
            create.mutate(values);
          })}
        >
          <Stack gap="md">
            {formError && (
              <Alert color="red" variant="light" role="alert">
                {formError}
              </Alert>
            )}
            <TextInput
              label="Name"
              description="What uses the key, e.g. “CRM sync”."
              required
              data-autofocus
              {...form.register('name')}
              error={errors.name?.message}
            />
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <RolePicker
                  roles={roles}
                  description="What the key may do. It can never do more than your own role."
                  value={field.value}
                  onChange={field.onChange}
                  error={errors.role?.message}
                />
              )}
            />
            <Controller
              control={form.control}
              name="expires"
              render={({ field }) => (
                <DateInput
                  label="Expires"
                  description="Optional. The key stops working at the end of this day."
                  placeholder="Never"
                  clearable
                  minDate={tomorrow}
                  valueFormat="D MMM YYYY"
                  value={field.value}
                  onChange={(v) => field.onChange(v ?? null)}
                  error={errors.expires?.message}
                  popoverProps={{ withinPortal: true }}
                />
              )}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
