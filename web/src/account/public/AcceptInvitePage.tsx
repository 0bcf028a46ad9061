import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconUsersPlus } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { applyProblem, passwordHint } from '../../components/forms';
import { nameField, newPasswordField } from '../../components/schemas';
import { AuthCard } from './AuthCard';

const schema = z.object({ name: nameField, password: newPasswordField });
type Values = z.infer<typeof schema>;

/** /accept-invite?token=…: join a team from the e-mailed invitation by choosing a name and password. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: '', password: '' } });
  const accept = useMutation({
    mutationFn: async (values: Values) => unwrap(await api.POST('/api/v1/auth/invitations/accept', { body: { token, ...values } })),
  });

  if (accept.isSuccess) {
    return (
      <AuthCard icon={IconCircleCheck} color="green" title="You have joined the team" description={accept.data.message}>
        <Button component={Link} to="/login" fullWidth>
          Sign in
        </Button>
      </AuthCard>
    );
  }

  const { errors } = form.formState;
  const linkProblem = !token ? 'This invitation link is incomplete. Open the link from the e-mail again.' : null;
  return (
    <AuthCard
      icon={IconUsersPlus}
      title="Accept your invitation"
      description="Choose your name and a password to join the team on DIDtron."
    >
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          accept.mutate(values, { onError: (e) => setFormError(applyProblem(e, form.setError, ['name', 'password'])) });
        })}
      >
        <Stack gap="md">
          {(formError ?? linkProblem) && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
              {formError ?? linkProblem}
            </Alert>
          )}
          <TextInput label="Your name" autoComplete="name" required autoFocus {...form.register('name')} error={errors.name?.message} />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            description={passwordHint}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.register('password')}
            error={errors.password?.message}
          />
          <Button type="submit" fullWidth loading={accept.isPending} disabled={!token}>
            Join the team
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
