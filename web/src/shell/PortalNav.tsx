import { NavLink } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from '../auth/useMe';
import { activeItem, isGroup, itemHref, visibleNav, type NavItem, type Portal } from './nav';
import classes from './PortalNav.module.css';

interface PortalNavProps {
  portal: Portal;
}

/** A portal's navigation, drawn from its data: links and collapsible groups. */
export function PortalNav({ portal }: PortalNavProps) {
  const { pathname } = useLocation();
  const { me } = useMe();
  const nav = visibleNav(portal, me?.permissions ?? []);
  const active = activeItem(portal, pathname);
  const activeGroup = nav.find((entry) => isGroup(entry) && entry.items.includes(active!))?.label;

  // Groups open when one of their screens is shown and stay as the user leaves them.
  const [openGroups, setOpenGroups] = useState<Set<string>>(() => new Set(activeGroup ? [activeGroup] : []));
  useEffect(() => {
    if (activeGroup) setOpenGroups((open) => (open.has(activeGroup) ? open : new Set(open).add(activeGroup)));
  }, [activeGroup]);

  const toggleGroup = (label: string) =>
    setOpenGroups((open) => {
      const next = new Set(open);
      if (next.has(label)) next.delete(label);
      else next.add(label);
      return next;
    });

  const link = (item: NavItem, nested = false) => {
    const Icon = item.icon;
    return (
      <NavLink
        key={item.path}
        component={Link}
        to={itemHref(portal, item)}
        label={item.label}
        leftSection={nested ? undefined : <Icon size={18} stroke={1.6} />}
        active={item === active}
        aria-current={item === active ? 'page' : undefined}
        classNames={{ root: nested ? classes.child : classes.link, section: classes.section }}
      />
    );
  };

  return (
    <div className={classes.nav}>
      {nav.map((entry) => {
        if (!isGroup(entry)) return link(entry);
        const Icon = entry.icon;
        const opened = openGroups.has(entry.label);
        return (
          <NavLink
            key={entry.label}
            component="button"
            type="button"
            aria-expanded={opened}
            label={entry.label}
            leftSection={<Icon size={18} stroke={1.6} />}
            rightSection={<IconChevronRight size={14} stroke={1.8} className={classes.chevron} data-opened={opened || undefined} />}
            opened={opened}
            onChange={() => toggleGroup(entry.label)}
            childrenOffset={0}
            disableRightSectionRotation
            classNames={{ root: classes.link, section: classes.section, children: classes.children }}
            data-has-active={entry.label === activeGroup || undefined}
          >
            {entry.items.map((item) => link(item, true))}
          </NavLink>
        );
      })}
    </div>
  );
}
