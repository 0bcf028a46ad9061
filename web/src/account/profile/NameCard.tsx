import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { meKey, useMe } from '../../auth/useMe';
import { applyProblem } from '../../components/forms';
import { nameField } from '../../components/schemas';
import { SectionCard } from './SectionCard';

const schema = z.object({ name: nameField });

/** The person's name; the e-mail address and role are shown, not edited here. */
export function NameCard() {
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ name: string }>({ resolver: zodResolver(schema), defaultValues: { name: me?.user.name ?? '' } });
  // Follow the saved name (after saving, or when another tab changed it).
  const savedName = me?.user.name;
  const { reset } = form;
  useEffect(() => {
    if (savedName !== undefined) reset({ name: savedName });
  }, [savedName, reset]);
  const rename = useMutation({
    mutationFn: async (name: string) => unwrap(await api.PATCH('/api/v1/me', { body: { name } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(meKey, updated);
      notifications.show({ color: 'green', message: 'Name saved' });
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['name'])),
  });

  return (
    <SectionCard title="Profile" description="How you appear to your team and in the audit log.">
      <form
        noValidate
        onSubmit={form.handleSubmit(({ name }) => {
          setFormError(null);
          rename.mutate(name);
        })}
      >
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light">
              {formError}
            </Alert>
          )}
          <TextInput label="Name" required autoComplete="name" {...form.register('name')} error={form.formState.errors.name?.message} />
          <TextInput label="E-mail address" value={me?.user.email ?? ''} readOnly variant="filled" description="Used to sign in." />
          <TextInput
            label="Account and role"
            value={me ? `${me.tenant.name} · ${me.role_label}` : ''}
            readOnly
            variant="filled"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={rename.isPending} disabled={!form.formState.isDirty}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
