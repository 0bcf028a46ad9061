import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Center, Loader, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconMailExclamation } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { applyProblem } from '../../components/forms';
import { emailField } from '../../components/schemas';
import { AuthCard } from './AuthCard';
import { CheckInbox } from './RegisterPage';

/** /verify-email?token=…: the link from the sign-up e-mail. Spends the token once, on arrival. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/verify-email', { body: { token } })),
  });
  // A token works once: send it once, even when React runs effects twice in development.
  const sent = useRef(false);
  useEffect(() => {
    if (token && !sent.current) {
      sent.current = true;
      verify.mutate();
    }
  }, [token, verify]);

  if (verify.isSuccess) {
    return (
      <AuthCard icon={IconCircleCheck} color="green" title="E-mail address verified" description={verify.data.message}>
        <Button component={Link} to="/login" fullWidth>
          Sign in
        </Button>
      </AuthCard>
    );
  }
  if (token && !verify.isError) {
    return (
      <AuthCard icon={IconMailExclamation} title="Verifying your e-mail address" description="One moment…">
        <Center>
          <Loader size="sm" aria-label="Verifying" />
        </Center>
      </AuthCard>
    );
  }
  return (
    <ResendLinkCard
      problem={token ? problemMessage(verify.error) : 'This link is incomplete. Open the link from the e-mail again, or ask for a new one.'}
    />
  );
}

const schema = z.object({ email: emailField });

/** The link did not work: say why and offer a new one. */
function ResendLinkCard({ problem }: { problem: string }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ email: string }>({ resolver: zodResolver(schema), defaultValues: { email: '' } });
  const resend = useMutation({
    mutationFn: async (email: string) => unwrap(await api.POST('/api/v1/auth/verify-email/resend', { body: { email } })),
  });
  if (sentTo) return <CheckInbox email={sentTo} title="A new link is on its way" />;
  return (
    <AuthCard icon={IconMailExclamation} color="amber" title="This link did not work" description="Ask for a new verification link below.">
      <form
        noValidate
        onSubmit={form.handleSubmit(({ email }) => {
          setFormError(null);
          resend.mutate(email, {
            onSuccess: () => setSentTo(email),
            onError: (e) => setFormError(applyProblem(e, form.setError, ['email'])),
          });
        })}
      >
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {formError ?? problem}
          </Alert>
          <TextInput
            label="E-mail address"
            type="email"
            autoComplete="email"
            required
            {...form.register('email')}
            error={form.formState.errors.email?.message}
          />
          <Button type="submit" fullWidth loading={resend.isPending}>
            Send a new link
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
