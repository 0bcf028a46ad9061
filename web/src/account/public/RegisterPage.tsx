import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Input,
  PasswordInput,
  Radio,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconMailCheck, IconMailForward, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { applyProblem, passwordHint } from '../../components/forms';
import { emailField, nameField, newPasswordField } from '../../components/schemas';
import { AuthCard } from './AuthCard';
import classes from './RegisterPage.module.css';

const schema = z.object({
  category_id: z.string().min(1, 'Choose what describes you best'),
  name: nameField,
  company: z.string().trim().max(100, 'Must be at most 100 characters'),
  email: emailField,
  password: newPasswordField,
});
type Values = z.infer<typeof schema>;
const fields = ['category_id', 'name', 'company', 'email', 'password'] as const;

/** /register: a new customer account, then "check your inbox" until the address is verified. */
export function RegisterPage() {
  const [registeredEmail, setRegisteredEmail] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const categories = useQuery({
    queryKey: ['public', 'categories'],
    queryFn: async () => unwrap(await api.GET('/api/v1/public/categories')),
    staleTime: 5 * 60_000,
  });
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { category_id: '', name: '', company: '', email: '', password: '' },
  });
  const register = useMutation({
    mutationFn: async (values: Values) =>
      unwrap(await api.POST('/api/v1/auth/register', { body: { ...values, company: values.company || null } })),
    onSuccess: (answer) => setRegisteredEmail(answer.email),
    onError: (error) => setFormError(applyProblem(error, form.setError, fields)),
  });

  if (registeredEmail) return <CheckInbox email={registeredEmail} />;

  const { errors } = form.formState;
  const submit = form.handleSubmit((values) => {
    setFormError(null);
    register.mutate(values);
  });

  return (
    <AuthCard
      icon={IconUserPlus}
      title="Create your account"
      description="Voice, numbers and a hosted PBX in one self-service account. It takes a minute."
      width={600}
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login" size="sm">
            Sign in
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
              {formError}
            </Alert>
          )}
          <Controller
            control={form.control}
            name="category_id"
            render={({ field }) => (
              <Input.Wrapper
                label="What describes you best?"
                required
                error={errors.category_id?.message}
                description="We tailor prices and offers to the kind of account."
              >
                {categories.isPending ? (
                  <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt="xs">
                    {[0, 1, 2, 3].map((i) => (
                      <Skeleton key={i} height={68} radius="md" />
                    ))}
                  </SimpleGrid>
                ) : categories.isError ? (
                  <Alert color="red" variant="light" mt="xs">
                    {problemMessage(categories.error)}
                  </Alert>
                ) : (
                  <Radio.Group value={field.value} onChange={field.onChange} name={field.name}>
                    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt="xs">
                      {categories.data.map((category) => (
                        <Radio.Card
                          key={category.id}
                          value={category.id}
                          className={classes.category}
                          radius="md"
                          aria-label={category.name}
                        >
                          <Group wrap="nowrap" align="flex-start" gap="sm">
                            <Radio.Indicator mt={2} />
                            <div>
                              <Text fw={600} size="sm">
                                {category.name}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {category.description}
                              </Text>
                            </div>
                          </Group>
                        </Radio.Card>
                      ))}
                    </SimpleGrid>
                  </Radio.Group>
                )}
              </Input.Wrapper>
            )}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput label="Your name" autoComplete="name" required {...form.register('name')} error={errors.name?.message} />
            <TextInput
              label="Company"
              description="Optional"
              autoComplete="organization"
              {...form.register('company')}
              error={errors.company?.message}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
          </SimpleGrid>
          <TextInput
            label="Work e-mail"
            type="email"
            autoComplete="email"
            required
            {...form.register('email')}
            error={errors.email?.message}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            description={passwordHint}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.register('password')}
            error={errors.password?.message}
          />
          <Button type="submit" fullWidth loading={register.isPending} mt="xs">
            Create account
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            We will send a link to confirm your e-mail address before you can sign in.
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}

/** After signing up: the link is on its way; a new one can be asked for. */
export function CheckInbox({ email, title = 'Check your inbox' }: { email: string; title?: string }) {
  const resend = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/verify-email/resend', { body: { email } })),
    onSuccess: (answer) => notifications.show({ color: 'green', title: 'Link sent', message: answer.message }),
    onError: (error) => notifications.show({ color: 'red', title: 'Could not send the link', message: problemMessage(error) }),
  });
  return (
    <AuthCard
      icon={IconMailCheck}
      color="green"
      title={title}
      description={
        <>
          We sent a verification link to <b>{email}</b>. Open it to activate your account; it is valid for 24 hours.
        </>
      }
    >
      <Stack gap="sm">
        <Button component={Link} to="/login" fullWidth>
          Go to sign in
        </Button>
        <Button
          variant="default"
          fullWidth
          leftSection={<IconMailForward size={16} />}
          loading={resend.isPending}
          onClick={() => resend.mutate()}
        >
          Resend the link
        </Button>
        <Text size="xs" c="dimmed" ta="center">
          Nothing arrived after a few minutes? Check your spam folder, or resend the link.
        </Text>
      </Stack>
    </AuthCard>
  );
}
