import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconKey, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { applyProblem } from '../../components/forms';
import { emailField } from '../../components/schemas';
import { AuthCard } from './AuthCard';

const schema = z.object({ email: emailField });

/** /forgot-password: ask for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ email: string }>({ resolver: zodResolver(schema), defaultValues: { email: '' } });
  const forgot = useMutation({
    mutationFn: async (email: string) => unwrap(await api.POST('/api/v1/auth/password/forgot', { body: { email } })),
  });

  if (sentTo) {
    return (
      <AuthCard
        icon={IconMailCheck}
        color="green"
        title="Check your inbox"
        description={
          <>
            If <b>{sentTo}</b> has a DIDtron account, a link to choose a new password is on its way. It is valid for one hour.
          </>
        }
      >
        <Button component={Link} to="/login" variant="default" fullWidth>
          Back to sign in
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      icon={IconKey}
      title="Forgot your password?"
      description="Enter the e-mail address of your account and we will send you a link to choose a new one."
      footer={
        <Anchor component={Link} to="/login" size="sm">
          Back to sign in
        </Anchor>
      }
    >
      <form
        noValidate
        onSubmit={form.handleSubmit(({ email }) => {
          setFormError(null);
          forgot.mutate(email, {
            onSuccess: () => setSentTo(email),
            onError: (e) => setFormError(applyProblem(e, form.setError, ['email'])),
          });
        })}
      >
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="E-mail address"
            type="email"
            autoComplete="email"
            required
            autoFocus
            {...form.register('email')}
            error={form.formState.errors.email?.message}
          />
          <Button type="submit" fullWidth loading={forgot.isPending}>
            Send reset link
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
