import { VisuallyHidden } from '@mantine/core';
import { useNotifications } from '@mantine/notifications';
import { isValidElement, type ReactNode, useEffect, useRef, useState } from 'react';

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

/**
 * Says `message` to screen readers without moving focus or interrupting them (a polite live
 * region): the new page's title after navigation, "POP created" after a push.
 */
export function announce(message: string) {
  const text = message.trim();
  if (text) listeners.forEach((listener) => listener(text));
}

/** Plain text of a toast's title or message, when it has any. */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

/**
 * The one polite live region of the app, rendered once (src/app/Providers.tsx). It exists from
 * the first paint, so what is added later is announced; each message stays a few seconds. Toasts
 * are announced here too (the theme turns off their own "alert" role).
 */
export function Announcer() {
  const [messages, setMessages] = useState<{ id: number; text: string }[]>([]);
  const next = useRef(0);

  useEffect(() => {
    const listener: Listener = (text) => {
      const id = next.current++;
      setMessages((current) => [...current.slice(-2), { id, text }]);
      window.setTimeout(() => setMessages((current) => current.filter((m) => m.id !== id)), 7000);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);

  const { notifications } = useNotifications();
  const seen = useRef(new Set<string>());
  useEffect(() => {
    for (const toast of notifications) {
      const id = toast.id ?? '';
      if (!id || seen.current.has(id)) continue;
      seen.current.add(id);
      announce([textOf(toast.title), textOf(toast.message)].filter(Boolean).join('. '));
    }
  }, [notifications]);

  return (
    <VisuallyHidden role="status" aria-live="polite" data-testid="announcer">
      {messages.map((m) => (
        <p key={m.id}>{m.text}</p>
      ))}
    </VisuallyHidden>
  );
}
