import { VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

/**
 * Says `message` to screen readers without moving focus or interrupting them (a polite live
 * region): the new page's title after navigation. Toasts need not call it: their container is a
 * polite live region of its own (src/app/Providers.tsx).
 */
export function announce(message: string) {
  const text = message.trim();
  if (text) listeners.forEach((listener) => listener(text));
}

/**
 * The app's polite live region for messages, rendered once (src/app/Providers.tsx). It exists
 * from the first paint, so what is added later is announced; each message stays a few seconds.
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

  return (
    <VisuallyHidden role="status" aria-live="polite" data-testid="announcer">
      {messages.map((m) => (
        <p key={m.id}>{m.text}</p>
      ))}
    </VisuallyHidden>
  );
}
