import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { applyProblem } from '../../components/forms';
import { emailField } from '../../components/schemas';
import { RolePicker } from './RolePicker';

type RoleOption = components['schemas']['RoleOption'];

const schema = z.object({ email: emailField, role: z.string().min(1, 'Choose a role') });
type Values = z.infer<typeof schema>;

interface InviteModalProps {
  /** The roles of this kind of account, most powerful first (GET /api/v1/team). */
  roles: RoleOption[];
  onClose: () => void;
  onInvited: () => void;
}

/** Invite a colleague by e-mail with a role; they choose their name and password from the link. */
export function InviteModal({ roles, onClose, onInvited }: InviteModalProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    // The least powerful role by default: grant more on purpose.
    defaultValues: { email: '', role: roles.filter((r) => r.grantable).at(-1)?.code ?? '' },
  });
  const invite = useMutation({
    mutationFn: async (values: Values) => unwrap(await api.POST('/api/v1/team/invitations', { body: values })),
    onSuccess: (invitation) => {
      notifications.show({ color: 'green', message: `Invitation sent to ${invitation.email}` });
      onInvited();
      onClose();
    },
    onError: (e) => setFormError(applyProblem(e, form.setError, ['email', 'role'])),
  });
  const { errors } = form.formState;

  return (
    <Modal opened onClose={onClose} title="Invite a team member" centered>
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          invite.mutate(values);
        })}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            We e-mail them a link to join this account. It is valid for 7 days.
          </Text>
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput label="E-mail address" type="email" required data-autofocus {...form.register('email')} error={errors.email?.message} />
          <Controller
            control={form.control}
            name="role"
            render={({ field }) => (
              <RolePicker roles={roles} value={field.value} onChange={field.onChange} error={errors.role?.message} />
            )}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
