import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKeyOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { meKey, useMe } from '../../auth/useMe';
import { confirmDestructive } from '../../components/confirm';

/** Revokes every API key the signed-in person holds. */
export function useRevokeMyKeys() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/api-keys/revoke-all')),
    onSuccess: ({ revoked }) =>
      notifications.show({ color: 'green', message: revoked === 1 ? '1 API key revoked' : `${revoked} API keys revoked` }),
    onError: (e) => notifications.show({ color: 'red', title: 'Could not revoke the keys', message: problemMessage(e) }),
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: meKey });
      queryClient.invalidateQueries({ queryKey: ['account', 'api-keys'] });
    },
  });
}

/** Asks to revoke every key of yours, then does. */
export function confirmRevokeMyKeys(revoke: () => void) {
  confirmDestructive({
    title: 'Revoke all your API keys?',
    message: 'Every API key you created stops working at once. Anything that uses them must get a new key.',
    confirmLabel: 'Revoke all my keys',
    onConfirm: revoke,
  });
}

/**
 * After a password reset or change, keys made before it still work: whoever took the account over
 * may have made them. Offers to revoke them all.
 */
export function KeysToReview() {
  const { me } = useMe();
  const revoke = useRevokeMyKeys();
  const count = me?.user.api_keys_to_review ?? 0;
  if (count === 0) return null;
  return (
    <Alert color="amber" variant="light" icon={<IconKeyOff size={18} />} title="Review your API keys" role="alert">
      <Group justify="space-between" align="center" gap="sm">
        <Text size="sm">
          Your password was changed or reset. You hold {count === 1 ? '1 API key' : `${count} API keys`} made before that, and they
          keep working until revoked. If you did not make them all, revoke them.
        </Text>
        <Button color="red" variant="light" loading={revoke.isPending} onClick={() => confirmRevokeMyKeys(() => revoke.mutate())}>
          Revoke all my keys
        </Button>
      </Group>
    </Alert>
  );
}
