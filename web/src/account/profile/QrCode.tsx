import { Box, Skeleton } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code drawn in the browser from `value`: the secret never leaves the page. */
export function QrCode({ value, size = 184, label }: { value: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { width: size, margin: 1, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [value, size]);

  // Always dark on white, in both colour schemes, so every camera reads it.
  return (
    <Box p={8} bg="white" style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--didtron-border)' }}>
      {src ? <img src={src} width={size} height={size} alt={label} style={{ display: 'block' }} /> : <Skeleton w={size} h={size} />}
    </Box>
  );
}
