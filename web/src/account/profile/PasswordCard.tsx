import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { applyProblem, passwordHint } from '../../components/forms';
import { newPasswordField } from '../../components/schemas';
import { SectionCard } from './SectionCard';

const schema = z.object({ current_password: z.string().min(1, 'Enter your current password'), new_password: newPasswordField });
type Values = z.infer<typeof schema>;

/** Change the password; the server signs out every other session. */
export function PasswordCard() {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { current_password: '', new_password: '' } });
  const change = useMutation({
    mutationFn: async (values: Values) => unwrap(await api.POST('/api/v1/me/password', { body: values })),
    onSuccess: (answer) => {
      form.reset();
      notifications.show({ color: 'green', title: 'Password changed', message: answer.message });
      void queryClient.invalidateQueries({ queryKey: ['account', 'sessions'] });
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['current_password', 'new_password'])),
  });
  const { errors } = form.formState;

  return (
    <SectionCard title="Password" description="Changing it signs you out everywhere else.">
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          change.mutate(values);
        })}
      >
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light">
              {formError}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.register('current_password')}
            error={errors.current_password?.message}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            description={passwordHint}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.register('new_password')}
            error={errors.new_password?.message}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
