import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconUsersPlus } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { applyProblem, passwordHint } from '../../components/forms';
import { nameField, newPasswordField } from '../../components/schemas';
import { RoleAllows } from '../team/RolePicker';
import { AuthCard } from './AuthCard';

const schema = z.object({ name: nameField, password: newPasswordField });
type Values = z.infer<typeof schema>;

/** /accept-invite?token=…: join a team from the e-mailed invitation by choosing a name and password. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: '', password: '' } });
  // Who invites, and with which role: named before the person commits to anything.
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: async () => unwrap(await api.POST('/api/v1/auth/invitations/preview', { body: { token } })),
    enabled: !!token,
    retry: false,
  });
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
  const linkProblem = !token
    ? 'This invitation link is incomplete. Open the link from the e-mail again.'
    : preview.isError
      ? problemMessage(preview.error)
      : null;
  const invitation = preview.data;
  return (
    <AuthCard
      icon={IconUsersPlus}
      title="Accept your invitation"
      description={
        invitation
          ? `${invitation.team} invites ${invitation.email} as ${invitation.role.label}. Choose your name and a password to join.`
          : 'Choose your name and a password to join the team on DIDtron.'
      }
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
          {invitation && (
            <Paper withBorder p="sm" radius="md" aria-label="Your role">
              <Text size="sm" fw={600}>
                {invitation.role.label}
              </Text>
              <RoleAllows role={invitation.role} />
            </Paper>
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
          <Button type="submit" fullWidth loading={accept.isPending} disabled={!token || preview.isError}>
            Join the team
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
