import { Avatar, Button, Group, Menu, Skeleton, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLogin, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { homePathFor } from '../auth/permissions';
import { useMe } from '../auth/useMe';
import classes from './UserMenu.module.css';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Who is signed in, with "Sign out"; a "Sign in" button when nobody is. */
export function UserMenu() {
  const { me, isLoading, signOut, isSigningOut } = useMe();

  if (isLoading) return <Skeleton height={34} width={34} circle />;

  if (!me) {
    return (
      <Button component={Link} to="/login" variant="default" size="sm" leftSection={<IconLogin size={16} />}>
        Sign in
      </Button>
    );
  }

  const handleSignOut = async () => {
    try {
      await signOut(); // ends on a fresh load of the home page
    } catch {
      notifications.show({ title: 'Could not sign out', message: 'Please try again.', color: 'red' });
    }
  };

  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        {/* Named by its content: the user's name as shown, then what it is ("Ada Lovelace account
            menu"), so speech users can say what they see; the initials are decoration. On phones
            the name is not shown but still read out. */}
        <UnstyledButton className={classes.trigger}>
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="blue" variant="filled" aria-hidden>
              {initials(me.user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" className={classes.name}>
              {me.user.name}
            </Text>
            <VisuallyHidden component="span" hiddenFrom="sm">
              {me.user.name}
            </VisuallyHidden>
            <VisuallyHidden component="span"> account menu</VisuallyHidden>
            <IconChevronDown size={14} stroke={1.8} className={classes.chevron} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <div className={classes.identity}>
          <Text size="sm" fw={600} truncate>
            {me.user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.user.email}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {me.tenant.name} · {me.role_label}
          </Text>
        </div>
        <Menu.Divider />
        <Menu.Item component={Link} to={`${homePathFor(me.tenant.kind)}/profile`} leftSection={<IconShieldLock size={16} />}>
          Profile & security
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} />}
          onClick={handleSignOut}
          disabled={isSigningOut}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
