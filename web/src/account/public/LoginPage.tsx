import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, Checkbox, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowLeft, IconLock, IconLogin, IconMailForward, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { ApiError, problemMessage, unwrap } from '../../api/problem';
import { landingPath } from '../../auth/permissions';
import { rememberSession, useMe } from '../../auth/useMe';
import { applyProblem } from '../../components/forms';
import { codeField, emailField } from '../../components/schemas';
import { AuthCard } from './AuthCard';

const credentialsSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password'),
  remember: z.boolean(),
});
type Credentials = z.infer<typeof credentialsSchema>;

const codeSchema = z.object({ totp: codeField });
type CodeValues = z.infer<typeof codeSchema>;

/** Why the last attempt failed, when it is not about one field. */
type Notice = { kind: 'error' | 'locked' | 'unverified'; message: string } | null;

async function signIn(body: Credentials & { totp?: string }) {
  return unwrap(await api.POST('/api/v1/auth/login', { body }));
}

/**
 * /login: e-mail and password, then the 2FA code when the account has it
 * (the server answers 401 `totp_required`). Signed in, the user goes to
 * `?next=` or to their portal.
 */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = params.get('next');
  const { me } = useMe();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'credentials' | 'code'>('credentials');
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const credentialsForm = useForm<Credentials>({
    resolver: zodResolver(credentialsSchema),
    defaultValues: { email: '', password: '', remember: false },
  });
  const codeForm = useForm<CodeValues>({ resolver: zodResolver(codeSchema), defaultValues: { totp: '' } });

  const login = useMutation({
    mutationFn: signIn,
    onSuccess: (session) => rememberSession(queryClient, session),
  });
  const resend = useMutation({
    mutationFn: async (email: string) => unwrap(await api.POST('/api/v1/auth/verify-email/resend', { body: { email } })),
    onSuccess: (answer) => {
      setNotice(null);
      notifications.show({ color: 'green', title: 'Link sent', message: answer.message });
    },
    onError: (error) => setNotice({ kind: 'error', message: problemMessage(error) }),
  });

  // Signed in (just now, or already): on to the portal.
  if (me) return <Navigate to={landingPath(me.tenant.kind, next)} replace />;

  const explain = (error: unknown, onField: (e: unknown) => string | null) => {
    if (error instanceof ApiError && error.status === 429) setNotice({ kind: 'locked', message: problemMessage(error) });
    else if (error instanceof ApiError && error.status === 403 && /verif/i.test(error.message))
      setNotice({ kind: 'unverified', message: problemMessage(error) });
    else {
      const rest = onField(error);
      setNotice(rest ? { kind: 'error', message: rest } : null);
    }
  };

  const submitCredentials = credentialsForm.handleSubmit((values) => {
    setNotice(null);
    login.mutate(values, {
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'totp_required') {
          setCredentials(values);
          codeForm.reset({ totp: '' });
          setStep('code');
          return;
        }
        explain(error, (e) => applyProblem(e, credentialsForm.setError, ['email', 'password']));
      },
    });
  });

  const submitCode = codeForm.handleSubmit(({ totp }) => {
    if (!credentials) return;
    setNotice(null);
    login.mutate(
      { ...credentials, totp: totp.replace(/\s+/g, '') },
      { onError: (error) => explain(error, (e) => applyProblem(e, codeForm.setError, ['totp'])) },
    );
  });

  const backToCredentials = () => {
    setStep('credentials');
    setNotice(null);
    credentialsForm.setValue('password', '');
  };

  const noticeAlert = notice && (
    <Alert
      color={notice.kind === 'error' ? 'red' : 'amber'}
      variant="light"
      icon={notice.kind === 'locked' ? <IconLock size={18} /> : <IconAlertCircle size={18} />}
      role="alert"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{notice.message}</Text>
        {notice.kind === 'unverified' && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconMailForward size={14} />}
            loading={resend.isPending}
            onClick={() => resend.mutate(credentialsForm.getValues('email'))}
          >
            Resend verification link
          </Button>
        )}
      </Stack>
    </Alert>
  );

  if (step === 'code') {
    return (
      <AuthCard
        icon={IconShieldLock}
        title="Two-factor authentication"
        description="Enter the 6-digit code from your authenticator app."
        footer="Lost your phone? Enter one of your recovery codes instead."
      >
        <form onSubmit={submitCode} noValidate>
          <Stack gap="md">
            {noticeAlert}
            <TextInput
              label="Authentication code"
              placeholder="123456"
              autoComplete="one-time-code"
              autoFocus
              required
              size="md"
              styles={{ input: { letterSpacing: '0.12em', fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...codeForm.register('totp')}
              error={codeForm.formState.errors.totp?.message}
            />
            <Button type="submit" fullWidth loading={login.isPending}>
              Verify and sign in
            </Button>
            <Button variant="subtle" color="gray" leftSection={<IconArrowLeft size={16} />} onClick={backToCredentials}>
              Use another account
            </Button>
          </Stack>
        </form>
      </AuthCard>
    );
  }

  const { errors } = credentialsForm.formState;
  return (
    <AuthCard
      icon={IconLogin}
      title="Sign in"
      description="Welcome back. Sign in to manage your trunks, numbers and billing."
      footer={
        <>
          No account yet?{' '}
          <Anchor component={Link} to="/register" size="sm">
            Create one
          </Anchor>
        </>
      }
    >
      <form onSubmit={submitCredentials} noValidate>
        <Stack gap="md">
          {noticeAlert}
          <TextInput
            label="E-mail address"
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...credentialsForm.register('email')}
            error={errors.email?.message}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...credentialsForm.register('password')}
            error={errors.password?.message}
          />
          <Group justify="space-between" wrap="nowrap">
            <Checkbox label="Keep me signed in for 30 days" {...credentialsForm.register('remember')} />
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot password?
            </Anchor>
          </Group>
          <Button type="submit" fullWidth loading={login.isPending} mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
