import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconDeviceFloppy, IconSend, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { problemMessage } from '../api/problem';
import type { Preview } from './api';
import { ChangePreview } from './ChangePreview';
import type { DisplayContext } from './display';
import { inSentence, type KindDefinition } from './kind';

interface PreviewModalProps {
  preview: Preview;
  def?: KindDefinition;
  ctx: DisplayContext;
  beforeCtx?: DisplayContext;
  /** Applies the change now. */
  onPush: () => Promise<void>;
  /** Keeps the change as a draft with a note; absent where drafts make no sense. */
  onDraft?: (note: string) => Promise<void>;
  /** A failure the caller shows elsewhere (field errors go back to the form): return true to close. */
  onError?: (error: unknown) => boolean;
  onClose: () => void;
}

/**
 * The one review step before any configuration change: the diff, the
 * customers it reaches and what blocks it, then "Push now", "Save as draft"
 * or "Cancel".
 */
export function PreviewModal({ preview, def, ctx, beforeCtx, onPush, onDraft, onError, onClose }: PreviewModalProps) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'push' | 'draft' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const blocked = preview.blockers.length > 0;
  const isDelete = preview.operation === 'delete';

  async function run(which: 'push' | 'draft') {
    setBusy(which);
    setError(null);
    try {
      if (which === 'push') await onPush();
      else await onDraft?.(note);
    } catch (e) {
      if (onError?.(e)) onClose();
      else setError(problemMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const noun = def?.noun ?? 'record';
  // The dialog opens on its first control, the × at the top: never on "Push now" or "Delete",
  // which one Enter would apply to the switch, nor below the visible area of a long preview.
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      centered
      title={isDelete ? `Delete ${inSentence(noun)} ${preview.title}?` : `Review ${inSentence(noun)} ${preview.title}`}
      closeOnClickOutside={busy === null}
    >
      <Stack gap="lg">
        <ChangePreview preview={preview} def={def} ctx={ctx} beforeCtx={beforeCtx} />
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {error}
          </Alert>
        )}
        {onDraft && !blocked && (
          <TextInput
            label="Note for the draft"
            description="Optional: why this change, for whoever pushes it."
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy !== null}>
            {blocked ? 'Close' : 'Cancel'}
          </Button>
          {onDraft && !blocked && (
            <Button
              variant="default"
              leftSection={<IconDeviceFloppy size={16} />}
              onClick={() => run('draft')}
              loading={busy === 'draft'}
              disabled={busy === 'push'}
            >
              Save as draft
            </Button>
          )}
          {!blocked && (
            <Button
              color={isDelete ? 'red' : undefined}
              leftSection={isDelete ? <IconTrash size={16} /> : <IconSend size={16} />}
              onClick={() => run('push')}
              loading={busy === 'push'}
              disabled={busy === 'draft'}
            >
              {isDelete ? `Delete ${inSentence(noun)}` : 'Push now'}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
