import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { switchRoot } from '../admin/system/switch/api';
import { applyChange, type Change, type Preview, previewChange, refreshConfiguration, saveDraft } from './api';
import type { DisplayContext } from './display';
import { capitalize, type ConfigRecord, type KindDefinition } from './kind';
import { PreviewModal } from './PreviewModal';

interface Pending {
  change: Change;
  preview: Preview;
  ctx: DisplayContext;
  beforeCtx?: DisplayContext;
}

interface ChangeFlowOptions {
  /** After the change was pushed (the record, null after a delete) or kept as a draft. */
  onDone?: (outcome: { pushed: boolean; record: ConfigRecord | null }) => void;
  /** A failure shown elsewhere (e.g. field errors put back into the form): return true to close the review. */
  onError?: (error: unknown) => boolean;
}

/**
 * The save flow every configuration screen shares: preview a change, show the
 * review modal, then push it now or keep it as a draft.
 *
 *   const flow = useChangeFlow(def, { onDone: close });
 *   await flow.review(change, ctx);   // throws the preview's problem (e.g. field errors)
 *   return <>{…}{flow.modal}</>;
 */
export function useChangeFlow(def: KindDefinition, options: ChangeFlowOptions = {}) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Pending | null>(null);

  async function review(change: Change, ctx: DisplayContext, beforeCtx?: DisplayContext) {
    const preview = await previewChange(def.kind, change);
    setPending({ change, preview, ctx, beforeCtx });
    return preview;
  }

  const noun = capitalize(def.noun);
  let modal: ReactNode = null;
  if (pending) {
    const { change, preview } = pending;
    modal = (
      <PreviewModal
        preview={preview}
        def={def}
        ctx={pending.ctx}
        beforeCtx={pending.beforeCtx}
        onClose={() => setPending(null)}
        onError={options.onError}
        onPush={async () => {
          const record = await applyChange(def.kind, change);
          await refreshConfiguration(queryClient);
          const done = change.operation === 'delete' ? `${noun} deleted` : change.operation === 'create' ? `${noun} created` : `${noun} saved`;
          // Saved is not on the switch yet: its push is only queued, and its sync status follows.
          const calls = preview.switch_calls?.length ?? 0;
          if (calls > 0) await queryClient.invalidateQueries({ queryKey: switchRoot });
          notifications.show(
            calls > 0
              ? { color: 'sky', title: done, message: `Queued for the switch (${calls} ${calls === 1 ? 'call' : 'calls'}); its sync status shows whether it got there.` }
              : { color: 'green', message: done },
          );
          setPending(null);
          options.onDone?.({ pushed: true, record });
        }}
        onDraft={async (note) => {
          await saveDraft(def.kind, change, note);
          await refreshConfiguration(queryClient);
          notifications.show({ color: 'sky', title: 'Draft saved', message: 'Push it from Configuration → Drafts when you are ready.' });
          setPending(null);
          options.onDone?.({ pushed: false, record: null });
        }}
      />
    );
  }
  return { review, modal, reviewing: pending !== null };
}
