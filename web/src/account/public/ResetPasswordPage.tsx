import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { applyProblem, passwordHint } from '../../components/forms';
import { newPasswordField } from '../../components/schemas';
import { AuthCard } from './AuthCard';

const schema = z.object({ password: newPasswordField });

/** /reset-password?token=…: choose a new password from the e-mailed link. Every session of the account ends. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ password: string }>({ resolver: zodResolver(schema), defaultValues: { password: '' } });
  const reset = useMutation({
    mutationFn: async (password: string) => unwrap(await api.POST('/api/v1/auth/password/reset', { body: { token, password } })),
  });

  if (reset.isSuccess) {
    return (
      <AuthCard
        icon={IconCircleCheck}
        color="green"
        title="Password changed"
        description={`${reset.data.message} API keys you hold keep working: after you sign in, you will be offered to revoke them.`}
      >
        <Button component={Link} to="/login" fullWidth>
          Sign in
        </Button>
      </AuthCard>
    );
  }

  const linkProblem = !token ? 'This link is incomplete. Open the link from the e-mail again.' : null;
  return (
    <AuthCard
      icon={IconKey}
      title="Choose a new password"
      description="Signing in with the new password works at once; every other session of your account ends."
      footer={
        <Anchor component={Link} to="/forgot-password" size="sm">
          Need a new link?
        </Anchor>
      }
    >
      <form
        noValidate
        onSubmit={form.handleSubmit(({ password }) => {
          setFormError(null);
          reset.mutate(password, { onError: (e) => setFormError(applyProblem(e, form.setError, ['password'])) });
        })}
      >
        <Stack gap="md">
          {(formError ?? linkProblem) && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
              {formError ?? linkProblem}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            autoFocus
            description={passwordHint}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.register('password')}
            error={form.formState.errors.password?.message}
          />
          <Button type="submit" fullWidth loading={reset.isPending} disabled={!token}>
            Set new password
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
