import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconDeviceMobile, IconKey, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { meKey, useMe } from '../../auth/useMe';
import { applyProblem } from '../../components/forms';
import { codeField, totpField } from '../../components/schemas';
import { QrCode } from './QrCode';
import { RecoveryCodes } from './RecoveryCodes';
import { SectionCard } from './SectionCard';

/** Two-factor authentication: enrol, see recovery codes once, regenerate them, turn it off. */
export function TwoFactorCard() {
  const { me } = useMe();
  const [modal, setModal] = useState<'enrol' | 'disable' | 'regenerate' | null>(null);
  const on = me?.user.two_factor ?? false;
  const left = me?.user.recovery_codes_left ?? 0;

  return (
    <SectionCard
      title="Two-factor authentication"
      description="A code from an authenticator app on your phone, asked for at every sign-in, on top of your password."
      aside={
        <Badge color={on ? 'green' : 'gray'} size="lg" variant="light" leftSection={on ? <IconShieldCheck size={14} /> : undefined}>
          {on ? 'On' : 'Off'}
        </Badge>
      }
    >
      {on ? (
        <Group justify="space-between" wrap="wrap" gap="md">
          <Text size="sm" c={left <= 2 ? 'amber' : 'dimmed'}>
            {left} of 10 recovery codes left.{left <= 2 && ' Make new ones before you run out.'}
          </Text>
          <Group gap="sm">
            <Button variant="default" leftSection={<IconKey size={16} />} onClick={() => setModal('regenerate')}>
              New recovery codes
            </Button>
            <Button variant="outline" color="red" leftSection={<IconShieldOff size={16} />} onClick={() => setModal('disable')}>
              Turn off
            </Button>
          </Group>
        </Group>
      ) : (
        <Group justify="space-between" wrap="wrap" gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon variant="light" color="amber" radius="xl" size="lg">
              <IconDeviceMobile size={18} />
            </ThemeIcon>
            <Text size="sm" c="dimmed" maw={560}>
              Protect your account with Google Authenticator, 1Password, Authy or any TOTP app.
            </Text>
          </Group>
          <Button leftSection={<IconShieldCheck size={16} />} onClick={() => setModal('enrol')}>
            Set up two-factor authentication
          </Button>
        </Group>
      )}
      {modal === 'enrol' && <EnrolModal onClose={() => setModal(null)} />}
      {modal === 'disable' && <DisableModal onClose={() => setModal(null)} />}
      {modal === 'regenerate' && <RegenerateModal onClose={() => setModal(null)} />}
    </SectionCard>
  );
}

const totpSchema = z.object({ code: totpField });

/** Scan (or type) the secret, confirm with a code, then save the recovery codes. */
function EnrolModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const setup = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/v1/me/2fa/setup')) });
  const form = useForm<{ code: string }>({ resolver: zodResolver(totpSchema), defaultValues: { code: '' } });
  const enable = useMutation({
    mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/me/2fa/enable', { body: { code } })),
    onSuccess: (answer) => {
      setCodes(answer.recovery_codes);
      void queryClient.invalidateQueries({ queryKey: meKey, exact: true });
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['code'])),
  });

  // Start the set-up once, when the modal opens (a second call would replace the secret).
  const started = useRef(false);
  const { mutate: startSetup } = setup;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startSetup();
  }, [startSetup]);

  const finish = () => {
    if (codes) notifications.show({ color: 'green', message: 'Two-factor authentication is on' });
    onClose();
  };

  return (
    <Modal opened onClose={finish} title={codes ? 'Save your recovery codes' : 'Set up two-factor authentication'} size="lg" centered>
      {codes ? (
        <Stack gap="md">
          <Text size="sm">
            Two-factor authentication is on. From now on, you sign in with your password and a code from your app.
          </Text>
          <RecoveryCodes codes={codes} />
          <Group justify="flex-end">
            <Button onClick={finish}>I have saved my codes</Button>
          </Group>
        </Stack>
      ) : setup.isError ? (
        <Alert color="red" variant="light">
          {problemMessage(setup.error)}
        </Alert>
      ) : (
        <form
          noValidate
          onSubmit={form.handleSubmit(({ code }) => {
            setFormError(null);
            enable.mutate(code.replace(/\s+/g, ''));
          })}
        >
          <Stack gap="md">
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>Open your authenticator app and add an account.</List.Item>
              <List.Item>Scan the QR code, or type the key below.</List.Item>
              <List.Item>Enter the 6-digit code the app shows.</List.Item>
            </List>
            <Group align="center" gap="lg" wrap="wrap" justify="center">
              {setup.data ? (
                <QrCode value={setup.data.otpauth_url} label="QR code to add DIDtron to your authenticator app" />
              ) : (
                <QrCode value="" label="Loading" />
              )}
              <Stack gap={6} miw={0} style={{ flex: '1 1 220px' }}>
                <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                  Or enter this key
                </Text>
                <Group gap={6} wrap="nowrap" align="center">
                  <Code data-testid="totp-secret" fz="sm" style={{ wordBreak: 'break-all' }}>
                    {setup.data?.secret ?? '…'}
                  </Code>
                  {setup.data && (
                    <CopyButton value={setup.data.secret}>
                      {({ copied, copy }) => (
                        <Button size="compact-xs" variant="subtle" onClick={copy} aria-label="Copy key">
                          {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                        </Button>
                      )}
                    </CopyButton>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  Time-based, 6 digits, every 30 seconds.
                </Text>
              </Stack>
            </Group>
            {formError && (
              <Alert color="red" variant="light">
                {formError}
              </Alert>
            )}
            <TextInput
              label="Code from the app"
              placeholder="123456"
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              {...form.register('code')}
              error={form.formState.errors.code?.message}
              styles={{ input: { letterSpacing: '0.12em', fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={enable.isPending} disabled={!setup.data}>
                Turn on
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

const disableSchema = z.object({ password: z.string().min(1, 'Enter your password'), code: codeField });
type DisableValues = z.infer<typeof disableSchema>;

/** Turning 2FA off needs the password and a code: the modal is also the confirmation. */
function DisableModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<DisableValues>({ resolver: zodResolver(disableSchema), defaultValues: { password: '', code: '' } });
  const disable = useMutation({
    mutationFn: async (values: DisableValues) => unwrap(await api.POST('/api/v1/me/2fa/disable', { body: values })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: meKey, exact: true });
      notifications.show({ color: 'green', message: 'Two-factor authentication is off' });
      onClose();
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['password', 'code'])),
  });
  const { errors } = form.formState;
  return (
    <Modal opened onClose={onClose} title="Turn off two-factor authentication?" centered>
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          disable.mutate({ ...values, code: values.code.replace(/\s+/g, '') });
        })}
      >
        <Stack gap="md">
          <Text size="sm">
            Your account will be protected by your password alone, and your recovery codes stop working. Confirm with
            your password and a code from your app (or a recovery code).
          </Text>
          {formError && (
            <Alert color="red" variant="light">
              {formError}
            </Alert>
          )}
          <PasswordInput label="Password" autoComplete="current-password" required {...form.register('password')} error={errors.password?.message} />
          <TextInput label="Code" placeholder="123456" autoComplete="one-time-code" required {...form.register('code')} error={errors.code?.message} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={disable.isPending}>
              Turn off two-factor authentication
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** New recovery codes replace the old ones; a current code from the app proves it is you. */
function RegenerateModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ code: string }>({ resolver: zodResolver(totpSchema), defaultValues: { code: '' } });
  const regenerate = useMutation({
    mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/me/2fa/recovery-codes', { body: { code } })),
    onSuccess: (answer) => {
      setCodes(answer.recovery_codes);
      void queryClient.invalidateQueries({ queryKey: meKey, exact: true });
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['code'])),
  });
  return (
    <Modal opened onClose={onClose} title={codes ? 'Your new recovery codes' : 'Make new recovery codes'} centered size={codes ? 'lg' : 'md'}>
      {codes ? (
        <Stack gap="md">
          <RecoveryCodes codes={codes} />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have saved my codes</Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.handleSubmit(({ code }) => {
            setFormError(null);
            regenerate.mutate(code.replace(/\s+/g, ''));
          })}
        >
          <Stack gap="md">
            <Text size="sm">Your current recovery codes stop working and ten new ones are made.</Text>
            {formError && (
              <Alert color="red" variant="light">
                {formError}
              </Alert>
            )}
            <TextInput label="Code from your app" placeholder="123456" autoComplete="one-time-code" inputMode="numeric" required {...form.register('code')} error={form.formState.errors.code?.message} />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={regenerate.isPending}>
                Make new codes
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
